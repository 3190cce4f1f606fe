package io.voiceagent.core.amd;

import java.util.Random;

/** Synthetic 8 kHz frames for the detector's unit tests: speech-like, tone, noise, silence. */
final class Signals {
  static final int FRAME = 160;
  private final Random random = new Random(42);
  private long sample; // running sample index, so tones and harmonics stay continuous across frames

  /**
   * Voiced-speech stand-in: a 140 Hz harmonic complex (not a tone) with some hiss, its loudness rising and
   * falling 4 times a second like syllables (troughs about 16 dB down), peaking near {@code level} average
   * magnitude.
   */
  short[] speech(int level) {
    short[] f = new short[FRAME];
    for (int i = 0; i < FRAME; i++, sample++) {
      double t = sample / 8000.0;
      double v = 0;
      for (int h = 1; h <= 12; h++) v += Math.sin(2 * Math.PI * 140 * h * t + h * 0.7) / Math.sqrt(h);
      v += random.nextGaussian() * 0.3;
      double syllable = 0.15 + 0.85 * Math.abs(Math.sin(Math.PI * 4 * t));
      f[i] = clip(v * level * 0.8 * syllable);
    }
    return f;
  }

  short[] tone(double hz, int amplitude) {
    short[] f = new short[FRAME];
    for (int i = 0; i < FRAME; i++, sample++) f[i] = clip(amplitude * Math.sin(2 * Math.PI * hz * sample / 8000.0));
    return f;
  }

  /** White noise of about {@code level} average magnitude. */
  short[] noise(int level) {
    short[] f = new short[FRAME];
    for (int i = 0; i < FRAME; i++, sample++) f[i] = clip(random.nextGaussian() * level * 1.2533);
    return f;
  }

  short[] silence() {
    sample += FRAME;
    return new short[FRAME];
  }

  static int averageMagnitude(short[] f) {
    long sum = 0;
    for (short s : f) sum += Math.abs(s);
    return (int) (sum / f.length);
  }

  private static short clip(double v) {
    return (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(v)));
  }
}
