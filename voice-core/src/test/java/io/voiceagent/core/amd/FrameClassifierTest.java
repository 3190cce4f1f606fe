package io.voiceagent.core.amd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class FrameClassifierTest {
  private final Signals signals = new Signals();

  @Test void givenFixedThreshold_whenFramesAroundIt_thenSpeechFromTheThresholdUp() {
    FrameClassifier c = new FrameClassifier(256, 0);
    short[] quiet = new short[160];
    java.util.Arrays.fill(quiet, (short) 255);
    c.classify(quiet);
    assertFalse(c.speech(), "255 is below 256");
    java.util.Arrays.fill(quiet, (short) -256);
    c.classify(quiet);
    assertTrue(c.speech(), "average magnitude 256 is speech, as in Asterisk");
    assertEquals(256, c.magnitude());
  }

  @Test void givenSteadyNoiseAboveTheThreshold_whenAdapting_thenNoiseIsSilenceAndSpeechAboveItIsNot() {
    FrameClassifier c = new FrameClassifier(256, 2);
    int noiseAsSpeech = 0;
    for (int i = 0; i < 100; i++) {
      c.classify(signals.noise(600));
      if (i >= 4 && c.speech()) noiseAsSpeech++;
    }
    assertEquals(0, noiseAsSpeech, "line noise at 600 is not speech once the floor is known");
    int speechFrames = 0;
    for (int i = 0; i < 25; i++) {
      c.classify(signals.speech(6000));
      if (c.speech()) speechFrames++;
    }
    assertTrue(speechFrames >= 20, speechFrames + " of 25 speech frames heard over the noise");
  }

  @Test void givenNoAdaptation_whenSteadyNoiseAboveTheThreshold_thenItCountsAsSpeech() {
    FrameClassifier c = new FrameClassifier(256, 0);
    for (int i = 0; i < 50; i++) c.classify(signals.noise(600));
    assertTrue(c.speech(), "Asterisk's fixed threshold hears loud noise as speech");
  }

  @ParameterizedTest @ValueSource(doubles = {350, 440, 1000, 1400, 2100, 3000})
  void givenSineWithSomeNoise_whenClassified_thenToneAtItsFrequency(double hz) {
    FrameClassifier c = new FrameClassifier(256, 2);
    for (int i = 0; i < 5; i++) {
      short[] f = signals.tone(hz, 6000);
      short[] n = signals.noise(60);
      for (int k = 0; k < f.length; k++) f[k] += n[k];
      c.classify(f);
    }
    assertEquals(hz, c.toneHz(), hz * 0.02);
  }

  @Test void givenSpeechOrNoise_whenClassified_thenNeverATone() {
    FrameClassifier c = new FrameClassifier(256, 2);
    for (int i = 0; i < 200; i++) {
      c.classify(i % 2 == 0 ? signals.speech(2500) : signals.noise(2500));
      assertEquals(0.0, c.toneHz(), "frame " + i);
    }
  }

  @Test void givenQuietTone_whenBelowTheThreshold_thenNeitherSpeechNorTone() {
    FrameClassifier c = new FrameClassifier(256, 2);
    c.classify(signals.tone(1000, 200));
    assertFalse(c.speech());
    assertEquals(0.0, c.toneHz());
  }
}
