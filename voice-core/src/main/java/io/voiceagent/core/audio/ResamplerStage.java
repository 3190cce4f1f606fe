package io.voiceagent.core.audio;

/**
 * One filter stage of a {@link Resampler}: stateful, any input length, allocation-free.
 *
 * <p>The stages keep their inner loops in the form {@code acc[i] += c * t[i]} over consecutive outputs, which
 * HotSpot's C2 compiles to SIMD; a per-output dot product would be a serial chain of dependent additions instead.
 * JDK 17's C2 does not vectorise {@code x[i + k]} with a run-time {@code k}, so shifted inputs are first copied to a
 * scratch array ({@link #shifted}): an arraycopy plus a vector loop is about 2.5× faster than the scalar loop.
 */
interface ResamplerStage {
  /** Resamples {@code len} samples, writing from {@code out[outOff]}; returns how many were written. */
  int process(short[] in, int off, int len, short[] out, int outOff);

  /** Most output samples {@code len} input samples can produce. */
  int maxOutput(int len);

  /** Forgets the filter history. */
  void reset();

  /** Group delay in seconds. */
  double delaySeconds();

  /** Copies {@code src[from..from+n)} to {@code dst[0..n)} and returns {@code dst}. */
  static float[] shifted(float[] src, int from, float[] dst, int n) {
    System.arraycopy(src, from, dst, 0, n);
    return dst;
  }

  /** Rounds half away from zero and saturates to 16 bits. */
  static short clip(float v) {
    float r = v + (v < 0f ? -0.5f : 0.5f);
    if (r >= 32767f) return Short.MAX_VALUE;
    if (r <= -32768f) return Short.MIN_VALUE;
    return (short) (int) r;
  }
}
