package io.voiceagent.core.audio;

/** One filter stage of a {@link Resampler}: stateful, any input length, allocation-free. */
interface ResamplerStage {
  /** Resamples {@code len} samples, writing from {@code out[outOff]}; returns how many were written. */
  int process(short[] in, int off, int len, short[] out, int outOff);

  /** Most output samples {@code len} input samples can produce. */
  int maxOutput(int len);

  /** Forgets the filter history. */
  void reset();

  /** Group delay in seconds. */
  double delaySeconds();

  static short clip(float v) {
    int r = Math.round(v);
    return (short) (r > Short.MAX_VALUE ? Short.MAX_VALUE : r < Short.MIN_VALUE ? Short.MIN_VALUE : r);
  }
}
