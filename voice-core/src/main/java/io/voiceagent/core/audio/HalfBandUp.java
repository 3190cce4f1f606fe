package io.voiceagent.core.audio;

/**
 * 8 → 16 kHz with the 63-tap half-band filter. Odd outputs are the input delayed (the centre tap is ½, times the
 * interpolation gain 2); even outputs use the 32 even-indexed taps, folded by symmetry into 16 multiplies.
 */
final class HalfBandUp implements ResamplerStage {
  private static final int TAPS = FilterCoefficients.HALF_BAND.length; // 63
  private static final int HALF = 16;        // symmetric pairs among the even taps
  private static final int HISTORY = 31;     // input samples the even branch looks back
  private static final int CHUNK = 512;
  private static final float[] PAIRS = new float[HALF];

  static {
    for (int k = 0; k < HALF; k++) PAIRS[k] = 2f * FilterCoefficients.HALF_BAND[2 * k]; // × interpolation gain
  }

  private final float[] x = new float[HISTORY + CHUNK]; // x[0..HISTORY) = the last inputs

  @Override public int process(short[] in, int off, int len, short[] out, int outOff) {
    int written = 0;
    while (len > 0) {
      int n = Math.min(len, CHUNK);
      for (int i = 0; i < n; i++) x[HISTORY + i] = in[off + i];
      for (int i = 0; i < n; i++) {
        // input index i is x[HISTORY + i]; output 2i uses x[i .. i+31] (taps 0, 2, ..., 62 reversed)
        int b = i;
        float acc = 0f;
        for (int k = 0; k < HALF; k++) acc += PAIRS[k] * (x[b + HISTORY - k] + x[b + k]);
        out[outOff + written++] = ResamplerStage.clip(acc);
        out[outOff + written++] = ResamplerStage.clip(x[b + 16]); // delayed by 15.5 input samples
      }
      System.arraycopy(x, n, x, 0, HISTORY);
      off += n;
      len -= n;
    }
    return written;
  }

  @Override public int maxOutput(int len) {
    return 2 * len;
  }

  @Override public void reset() {
    java.util.Arrays.fill(x, 0f);
  }

  @Override public double delaySeconds() {
    return (TAPS - 1) / 2.0 / 16_000;
  }
}
