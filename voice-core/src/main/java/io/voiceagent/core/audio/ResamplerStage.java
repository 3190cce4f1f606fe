package io.voiceagent.core.audio;

/**
 * One filter stage of a {@link Resampler}: stateful, any input length, allocation-free.
 *
 * <p>The stages keep their inner loops in the form {@code acc[i] += c * x[i + k]} over consecutive outputs, which
 * HotSpot's C2 compiles to SIMD; a per-output dot product would be a serial chain of dependent additions instead.
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

  /** Rounds half away from zero and saturates to 16 bits. */
  static short clip(float v) {
    float r = v + (v < 0f ? -0.5f : 0.5f);
    if (r >= 32767f) return Short.MAX_VALUE;
    if (r <= -32768f) return Short.MIN_VALUE;
    return (short) (int) r;
  }
}
