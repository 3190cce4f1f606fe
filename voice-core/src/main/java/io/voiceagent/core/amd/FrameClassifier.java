package io.voiceagent.core.amd;

/**
 * Says of each 20 ms frame whether it is speech (average magnitude above the threshold) and whether it is a
 * steady tone (a beep). One per detection, pacer thread only, no allocation per frame.
 *
 * <p>Energy: a frame is speech when its average magnitude reaches {@code max(silenceThreshold, noiseFactor ×
 * floor)}, where the floor is the quietest frame of the last ~2.5 s (minimum statistics over eight 320 ms
 * blocks). The window is longer than a greeting, so a sound without any pause (music, an endless word) is
 * judged as speech long enough for the greeting rules to fire before it could pass for the line's noise. The first 80 ms, when nothing is known of the line yet, are judged by the fixed threshold alone;
 * that is shorter than a word, so noise there cannot start a greeting.
 *
 * <p>Tone: on frames above the fixed threshold (a long beep must not turn into "noise"), the zero crossings of the frame give a frequency; a Goertzel filter at exactly that frequency says
 * how much of the frame's energy it holds. Speech spreads its energy over harmonics and formants and stays
 * well below {@link #TONE_PURITY}; a beep holds nearly all of it.
 */
final class FrameClassifier {
  /** Share of a frame's energy at one frequency that makes it a tone. */
  static final double TONE_PURITY = 0.80;
  /** Lowest and highest beep frequency considered (telephone band). */
  static final double TONE_MIN_HZ = 300;
  static final double TONE_MAX_HZ = 3400;
  private static final double SAMPLE_RATE = 8000;
  private static final int BLOCK_FRAMES = 16;
  private static final int BLOCKS = 8;
  /** Frames judged by the fixed threshold alone, before the floor means anything (shorter than a word). */
  private static final int WARMUP_FRAMES = 4;

  private final int silenceThreshold;
  private final int noiseFactor;
  private final int[] blockMin = new int[BLOCKS]; // quietest frame of each finished block
  private int blocksDone;
  private int framesInBlock;
  private int currentMin = Integer.MAX_VALUE;
  private int framesSeen;

  // results of the last frame
  private int magnitude;
  private int threshold;
  private boolean speech;
  private double toneHz;

  FrameClassifier(int silenceThreshold, int noiseFactor) {
    this.silenceThreshold = silenceThreshold;
    this.noiseFactor = noiseFactor;
  }

  /** Classifies one frame; read the result with {@link #speech()}, {@link #toneHz()}. */
  void classify(short[] pcm) {
    int n = pcm.length;
    if (n == 0) {
      magnitude = 0;
      speech = false;
      toneHz = 0;
      return;
    }
    long sum = 0;
    long energy = 0;
    int crossings = 0;
    int firstCrossing = -1; // the crossing lies between sample i-1 and i
    int lastCrossing = -1;
    int prev = pcm[0];
    sum += Math.abs(prev);
    energy += (long) prev * prev;
    for (int i = 1; i < n; i++) {
      int s = pcm[i];
      sum += Math.abs(s);
      energy += (long) s * s;
      if ((prev < 0) != (s < 0)) {
        if (crossings == 0) firstCrossing = i;
        lastCrossing = i;
        crossings++;
      }
      prev = s;
    }
    magnitude = (int) (sum / n);
    threshold = currentThreshold();
    speech = magnitude >= threshold;
    trackFloor(magnitude);
    toneHz = magnitude >= silenceThreshold && crossings >= 3
        ? tone(pcm, energy, crossings, crossingAt(pcm, firstCrossing), crossingAt(pcm, lastCrossing)) : 0;
  }

  private int currentThreshold() {
    if (noiseFactor == 0) return silenceThreshold;
    int floor = currentMin;
    for (int b = 0; b < Math.min(blocksDone, BLOCKS); b++) floor = Math.min(floor, blockMin[b]);
    if (framesSeen < WARMUP_FRAMES || floor == Integer.MAX_VALUE) return silenceThreshold;
    long raised = (long) floor * noiseFactor;
    return (int) Math.max(silenceThreshold, Math.min(raised, Integer.MAX_VALUE));
  }

  private void trackFloor(int m) {
    framesSeen++;
    if (m < currentMin) currentMin = m;
    if (++framesInBlock == BLOCK_FRAMES) {
      blockMin[blocksDone % BLOCKS] = currentMin;
      blocksDone++;
      framesInBlock = 0;
      currentMin = Integer.MAX_VALUE;
    }
  }

  /** Where between samples {@code i-1} and {@code i} the signal crosses zero (linear interpolation). */
  private static double crossingAt(short[] pcm, int i) {
    int a = pcm[i - 1];
    int b = pcm[i];
    return (i - 1) + (double) a / (a - b);
  }

  /** The frame's frequency if it is a steady tone, else 0. */
  private static double tone(short[] pcm, long energy, int crossings, double first, double last) {
    double span = last - first;
    if (span <= 0) return 0;
    double hz = (crossings - 1) / 2.0 * SAMPLE_RATE / span;
    if (hz < TONE_MIN_HZ || hz > TONE_MAX_HZ) return 0;
    double coeff = 2 * Math.cos(2 * Math.PI * hz / SAMPLE_RATE);
    double s1 = 0;
    double s2 = 0;
    for (short x : pcm) {
      double s0 = x + coeff * s1 - s2;
      s2 = s1;
      s1 = s0;
    }
    double power = s1 * s1 + s2 * s2 - coeff * s1 * s2;
    // a pure tone of amplitude A: power ≈ (N·A/2)², energy ≈ N·A²/2, so power / (energy·N/2) ≈ 1
    double purity = power / (energy * (pcm.length / 2.0));
    return purity >= TONE_PURITY ? hz : 0;
  }

  boolean speech() {
    return speech;
  }

  /** The steady tone's frequency, or 0 when the frame is not a tone. */
  double toneHz() {
    return toneHz;
  }

  int magnitude() {
    return magnitude;
  }

  int threshold() {
    return threshold;
  }
}
