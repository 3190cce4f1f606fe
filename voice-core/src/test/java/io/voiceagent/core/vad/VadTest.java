package io.voiceagent.core.vad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voiceagent.core.audio.Resampler;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The VAD on synthesized speech (espeak-ng: Russian and English, male and female voices), clean, in pink noise
 * 18 dB down and in strong low rumble, and on noise alone; ground truth from scripts/make-test-audio.sh.
 */
class VadTest {
  private static final String[] CLEAN = {"ru-m-allo", "ru-f-greeting", "en-us-hello", "en-gb-voicemail"};
  private static Map<String, Clips.Clip> clips;

  @BeforeAll static void load() throws IOException {
    clips = Clips.all();
  }

  /** Per-frame smoothed decisions over a clip. */
  static boolean[] run(Vad vad, short[] pcm) {
    int f = vad.config().frameSamples();
    boolean[] d = new boolean[pcm.length / f];
    for (int k = 0; k < d.length; k++) d[k] = vad.process(pcm, k * f);
    return d;
  }

  static boolean[] run(String clip) {
    return run(new Vad(VadConfig.DEFAULT), clips.get(clip).pcm());
  }

  static int first(boolean[] d) {
    for (int k = 0; k < d.length; k++) if (d[k]) return k;
    return -1;
  }

  static int last(boolean[] d) {
    for (int k = d.length - 1; k >= 0; k--) if (d[k]) return k;
    return -1;
  }

  /** Checks one clip against its ground truth; returns the share of the speech span flagged as speech. */
  static double checkAgainstTruth(String name, boolean[] d, int frameMs) {
    Clips.Clip c = clips.get(name);
    int start = first(d) * frameMs;
    int end = (last(d) + 1) * frameMs;
    VadConfig cfg = VadConfig.DEFAULT;
    assertTrue(start >= c.speechStartMs() && start <= c.speechStartMs() + cfg.onsetMillis() + 60,
        name + ": speech found at " + start + " ms, truth " + c.speechStartMs());
    assertTrue(end >= c.speechEndMs() && end <= c.speechEndMs() + cfg.hangoverMillis() + 60,
        name + ": speech ends at " + end + " ms, truth " + c.speechEndMs());
    int inSpan = 0;
    int span = 0;
    for (int k = c.speechStartMs() / frameMs; k < c.speechEndMs() / frameMs; k++, span++) if (d[k]) inSpan++;
    return (double) inSpan / span;
  }

  @Test void givenCleanSpeech_whenClassified_thenFoundWithinOnsetEndsWithinHangoverAndNothingInSilence() {
    for (String name : CLEAN) {
      double coverage = checkAgainstTruth(name, run(name), 20);
      assertTrue(coverage >= 0.8, name + ": " + coverage + " of the speech span (pauses between phrases are real)");
    }
  }

  @Test void givenSpeechInNoise_whenClassified_thenAgreesWithCleanOnAtLeast95PercentOfFrames() {
    String[][] pairs = {{"ru-m-allo-pink15", "ru-m-allo"}, {"en-gb-voicemail-brown", "en-gb-voicemail"}};
    for (String[] p : pairs) {
      boolean[] noisy = run(p[0]);
      boolean[] clean = run(p[1]);
      checkAgainstTruth(p[0], noisy, 20);
      int same = 0;
      for (int k = 0; k < clean.length; k++) if (clean[k] == noisy[k]) same++;
      assertTrue(same >= 0.95 * clean.length, p[0] + ": agrees on " + same + " of " + clean.length + " frames");
    }
  }

  @Test void givenNoiseOnly_whenClassified_thenNeverSpeech() {
    for (String name : new String[] {"noise-pink", "line-hiss"}) {
      assertEquals(-1, first(run(name)), name);
    }
  }

  @Test void givenQuietSpeechBelowSilenceThreshold_whenClassified_thenSilenceUnlessThresholdLowered() {
    Clips.Clip quiet = clips.get("ru-m2-quiet");
    assertEquals(-1, first(run("ru-m2-quiet")), "mean magnitude under 256 is silence, as in app_amd");
    boolean[] d = run(new Vad(VadConfig.DEFAULT.withSilenceThreshold(16)), quiet.pcm());
    checkAgainstTruth("ru-m2-quiet", d, 20);
  }

  @Test void givenSpeechAt16kHzIn10msFrames_whenClassified_thenAgreesWith8kHz20ms() {
    for (String name : CLEAN) {
      short[] pcm8 = clips.get(name).pcm();
      Resampler up = Resampler.create(8000, 16000);
      short[] pcm16 = new short[up.maxOutputSamples(pcm8.length)];
      int n = up.process(pcm8, 0, pcm8.length, pcm16, 0);
      boolean[] d16 = run(new Vad(VadConfig.defaults(16000, 10)), Arrays.copyOf(pcm16, n));
      boolean[] d8 = run(name);
      int same = 0;
      for (int k = 0; k < d8.length; k++) if (d8[k] == d16[2 * k + 1]) same++;
      assertTrue(same >= 0.95 * d8.length, name + ": 16 kHz/10 ms agrees on " + same + " of " + d8.length);
      checkAgainstTruth(name, d8, 20);
    }
  }

  @Test void givenNoiseSwitchedOn_whenSteadyFor600ms_thenFloorFollowsAndSpeechEndsWithin1s() {
    short[] hiss = clips.get("line-hiss").pcm();
    short[] noise = clips.get("noise-pink").pcm();
    short[] pcm = new short[hiss.length + noise.length];
    System.arraycopy(hiss, 0, pcm, 0, hiss.length);
    System.arraycopy(noise, 0, pcm, hiss.length, noise.length);
    Vad vad = new Vad(VadConfig.DEFAULT);
    boolean[] d = run(vad, pcm);
    int step = hiss.length / 160;
    for (int k = step + 50; k < d.length; k++) assertFalse(d[k], "still speech " + (k - step) * 20 + " ms after");
    assertTrue(vad.noiseFloorDb() > -50, "floor " + vad.noiseFloorDb());
  }

  @Test void givenFrame_whenProcessed_thenExposesAppAmdMeanMagnitudeAndRunLengths() {
    Vad vad = new Vad(VadConfig.DEFAULT);
    short[] loud = new short[160];
    for (int i = 0; i < 160; i++) loud[i] = (short) ((i % 2 == 0 ? 1 : -1) * (300 + i));
    long sum = 0;
    for (short s : loud) sum += Math.abs(s);
    vad.process(loud, 0);
    assertEquals(sum / 160, vad.lastAverageMagnitude());
    assertTrue(vad.lastFrameAboveThreshold());
    short[] speechLike = clips.get("en-us-hello").pcm();
    Vad v = new Vad(VadConfig.DEFAULT);
    int k = 0;
    while (!v.process(speechLike, k * 160)) k++;
    assertEquals(VadConfig.DEFAULT.onsetMillis(), v.speechMillis(), "speech counted from its first active frame");
    short[] silence = new short[160];
    v.process(silence, 0);
    v.process(silence, 0);
    assertTrue(v.isSpeech(), "hangover holds");
    assertEquals(40, v.silenceMillis());
    for (int i = 0; i < 20; i++) v.process(silence, 0);
    assertFalse(v.isSpeech());
    assertEquals(0, v.speechMillis());
    v.reset();
    assertEquals(0, v.frames());
  }

  @Test void givenBadSettings_whenConfigured_thenErrorNamesValue() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> VadConfig.defaults(11025, 20));
    assertTrue(e.getMessage().contains("sampleRateHz is 11025"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> VadConfig.defaults(8000, 30));
    assertTrue(e.getMessage().contains("frameMillis is 30"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> VadConfig.DEFAULT.withSilenceThreshold(-1));
    assertTrue(e.getMessage().contains("silenceThreshold is -1"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> VadConfig.DEFAULT.withTiming(40, -5));
    assertTrue(e.getMessage().contains("hangoverMillis is -5"), e.getMessage());
  }
}
