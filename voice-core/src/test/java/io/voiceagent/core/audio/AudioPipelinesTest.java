package io.voiceagent.core.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AudioPipelinesTest {
  private static final AudioPipelineFactory STANDARD = AudioPipelines.standard();

  static short[] tone8k(double hz, int samples) {
    return ResamplerTest.tone(hz, 8000, samples);
  }

  /** Sends {@code pcm} as 20 ms callee frames; returns every byte the AI would get. */
  static byte[] calleeToAi(AudioPipeline p, short[] pcm) {
    ByteArrayOutputStream sent = new ByteArrayOutputStream();
    short[] frame = new short[160];
    for (int off = 0; off + 160 <= pcm.length; off += 160) {
      System.arraycopy(pcm, off, frame, 0, 160);
      p.fromCallee(frame, sent::write);
    }
    return sent.toByteArray();
  }

  /** Plays every queued agent frame out; returns the 8 kHz samples. */
  static short[] drain(AudioPipeline p) {
    short[] all = new short[p.queuedMillis() * 8];
    short[] frame = new short[160];
    int n = 0;
    while (p.toCallee(frame)) {
      System.arraycopy(frame, 0, all, n, 160);
      n += 160;
    }
    return java.util.Arrays.copyOf(all, n);
  }

  static short[] littleEndian(byte[] b) {
    short[] s = new short[b.length / 2];
    for (int i = 0; i < s.length; i++) s[i] = (short) ((b[2 * i] & 0xFF) | (b[2 * i + 1] << 8));
    return s;
  }

  static byte[] littleEndian(short[] s) {
    byte[] b = new byte[2 * s.length];
    for (int i = 0; i < s.length; i++) {
      b[2 * i] = (byte) s[i];
      b[2 * i + 1] = (byte) (s[i] >> 8);
    }
    return b;
  }

  @ParameterizedTest
  @ValueSource(ints = {8000, 16000, 22050, 24000, 44100, 48000})
  void givenPcmFormat_whenCalleeSpeaks_thenAiGets20msFramesOfTheSameTone(int rate) {
    AudioFormat pcm = new AudioFormat(AudioFormat.Encoding.PCM_S16LE, rate);
    AudioPipeline p = STANDARD.create(pcm, pcm);
    ByteArrayOutputStream sent = new ByteArrayOutputStream();
    short[] in = tone8k(1000, 8000 * 2);
    short[] frame = new short[160];
    for (int off = 0; off < in.length; off += 160) {
      System.arraycopy(in, off, frame, 0, 160);
      int before = sent.size();
      p.fromCallee(frame, sent::write);
      assertEquals(pcm.bytesFor(20), sent.size() - before, "bytes per 20 ms at " + rate);
    }
    short[] ai = littleEndian(sent.toByteArray());
    assertEquals(16_000, ResamplerTest.amplitude(ai, rate / 2, rate, 1000), 40, "1 kHz tone level at " + rate);
    if (rate > 14_000) assertTrue(ResamplerTest.amplitude(ai, rate / 2, rate, 7000) < 2, "no image at " + rate);
  }

  @ParameterizedTest
  @ValueSource(ints = {8000, 16000, 22050, 24000, 44100, 48000})
  void givenPcmFormat_whenAgentSpeaksInOddChunks_thenCalleeGetsTheToneAt8k(int rate) {
    AudioFormat pcm = new AudioFormat(AudioFormat.Encoding.PCM_S16LE, rate);
    AudioPipeline p = STANDARD.create(pcm, pcm);
    byte[] agent = littleEndian(ResamplerTest.tone(1500, rate, rate * 2));
    for (int off = 0; off < agent.length; off += 1001) {
      p.fromAgent(agent, off, Math.min(1001, agent.length - off), 1);
    }
    short[] callee = drain(p);
    assertTrue(callee.length >= 15_900, "about 2 s queued: " + callee.length);
    assertEquals(16_000, ResamplerTest.amplitude(callee, 4000, 8000, 1500), 40, "1.5 kHz at 8 kHz from " + rate);
    assertTrue(ResamplerTest.amplitude(callee, 4000, 8000, 500) < 2, "nothing else from " + rate);
  }

  @Test void givenUlaw_whenCalleeSpeaks_thenAiGetsG711CodesOnly() {
    AudioPipeline p = STANDARD.create(AudioFormat.ULAW_8K, AudioFormat.ULAW_8K);
    short[] in = tone8k(440, 1600);
    byte[] ai = calleeToAi(p, in);
    assertEquals(1600, ai.length);
    for (int i = 0; i < in.length; i++) assertEquals(G711.linearToUlaw(in[i]), ai[i], "sample " + i);
  }

  @Test void givenUlaw_whenAgentSpeaks_thenCalleeGetsDecodedLevels() {
    AudioPipeline p = STANDARD.create(AudioFormat.ULAW_8K, AudioFormat.ULAW_8K);
    byte[] codes = new byte[800];
    for (int i = 0; i < codes.length; i++) codes[i] = (byte) (i * 7);
    p.fromAgent(codes, 0, 333, 1);
    p.fromAgent(codes, 333, 467, 1);
    short[] callee = drain(p);
    assertEquals(800, callee.length);
    for (int i = 0; i < codes.length; i++) assertEquals(G711.ulawToLinear(codes[i]), callee[i], "sample " + i);
  }

  @Test void givenMixedFormats_whenCreated_thenEachDirectionHasItsOwn() {
    AudioPipeline p = STANDARD.create(AudioFormat.PCM_16K, AudioFormat.ULAW_8K);
    assertEquals(640, calleeToAi(p, tone8k(300, 160)).length);
    p.fromAgent(new byte[160], 0, 160, 1);
    assertEquals(20, p.queuedMillis());
  }

  @Test void givenUnsupportedFormat_whenCreated_thenErrorNamesIt() {
    AudioFormat odd = AudioFormat.parse("pcm_11025");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> STANDARD.create(odd, AudioFormat.PCM_16K));
    assertTrue(e.getMessage().contains("pcm_11025"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> STANDARD.create(AudioFormat.PCM_16K, odd));
    assertTrue(e.getMessage().contains("pcm_11025"), e.getMessage());
    assertFalse(AudioPipelines.isSupported(odd));
    assertTrue(AudioPipelines.isSupported(AudioFormat.parse("pcm_44100")));
  }

  @Test void givenInterruption_whenAgentResumes_thenResamplerRestartsCleanly() {
    AudioFormat f = AudioFormat.parse("pcm_24000");
    AudioPipeline p = STANDARD.create(f, f);
    byte[] loud = littleEndian(ResamplerTest.tone(1000, 24000, 4801)); // ends mid-sample and mid-frame
    p.fromAgent(loud, 0, loud.length - 1, 1);
    p.interrupt(1);
    assertEquals(0, p.queuedMillis());
    byte[] silence = new byte[480 * 2]; // 20 ms at 24 kHz
    p.fromAgent(silence, 0, silence.length, 2);
    short[] out = drain(p);
    assertEquals(160, out.length);
    for (short s : out) assertEquals(0, s, "no ringing from the interrupted audio");
  }
}
