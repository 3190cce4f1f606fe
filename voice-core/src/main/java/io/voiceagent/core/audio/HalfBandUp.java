package io.voiceagent.core.audio;

import java.util.Arrays;

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
  private final float[] acc = new float[CHUNK];

  @Override public int process(short[] in, int off, int len, short[] out, int outOff) {
    int written = 0;
    while (len > 0) {
      int n = Math.min(len, CHUNK);
      for (int i = 0; i < n; i++) x[HISTORY + i] = in[off + i];
      // even output for input i: Σ 2h[2k]·x[i−k], k = 0..31, paired k ↔ 31−k; buffer index of x[i−k] is i+31−k
      Arrays.fill(acc, 0, n, 0f);
      for (int k = 0; k < HALF; k++) {
        float c = PAIRS[k];
        int a = HISTORY - k;
        for (int i = 0; i < n; i++) acc[i] += c * (x[i + a] + x[i + k]);
      }
      for (int i = 0; i < n; i++) {
        out[outOff + written++] = ResamplerStage.clip(acc[i]);
        out[outOff + written++] = (short) x[i + 16]; // odd output: x[i − 15], exact
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
    Arrays.fill(x, 0f);
  }

  @Override public double delaySeconds() {
    return (TAPS - 1) / 2.0 / 16_000;
  }
}
