package io.voiceagent.core.audio;

import java.util.Arrays;

/**
 * 16 → 8 kHz with the 63-tap half-band filter: one output per two inputs, 16 folded multiplies plus the ½ centre
 * tap. The input is split into its even and odd samples first, so the taps run over consecutive outputs.
 */
final class HalfBandDown implements ResamplerStage {
  private static final int TAPS = FilterCoefficients.HALF_BAND.length; // 63
  private static final int HALF = 16;
  private static final int HISTORY = TAPS - 1; // 62
  private static final int CHUNK = 1024;
  private static final float[] PAIRS = new float[HALF];

  static {
    for (int k = 0; k < HALF; k++) PAIRS[k] = FilterCoefficients.HALF_BAND[2 * k];
  }

  private final float[] x = new float[HISTORY + CHUNK];
  private final float[] even = new float[CHUNK / 2 + 33];
  private final float[] odd = new float[CHUNK / 2 + 17];
  private final float[] acc = new float[CHUNK / 2 + 1];
  private int phase; // chunk index of the next input that ends a window (even global index): 0 or 1

  @Override public int process(short[] in, int off, int len, short[] out, int outOff) {
    int written = 0;
    while (len > 0) {
      int n = Math.min(len, CHUNK);
      for (int i = 0; i < n; i++) x[HISTORY + i] = in[off + i];
      // outputs end their windows at chunk indices phase, phase+2, ...; output m's window is x[phase+2m ..+62]
      int count = (n - phase + 1) / 2;
      for (int r = 0; r < count + 31; r++) even[r] = x[phase + 2 * r];
      for (int r = 0; r < count + 15; r++) odd[r] = x[phase + 1 + 2 * r];
      for (int m = 0; m < count; m++) acc[m] = 0.5f * odd[m + 15];
      for (int k = 0; k < HALF; k++) {
        float c = PAIRS[k];
        int b = 31 - k;
        for (int m = 0; m < count; m++) acc[m] += c * (even[m + k] + even[m + b]);
      }
      for (int m = 0; m < count; m++) out[outOff + written++] = ResamplerStage.clip(acc[m]);
      phase = (phase + n) & 1;
      System.arraycopy(x, n, x, 0, HISTORY);
      off += n;
      len -= n;
    }
    return written;
  }

  @Override public int maxOutput(int len) {
    return len / 2 + 1;
  }

  @Override public void reset() {
    Arrays.fill(x, 0f);
    phase = 0;
  }

  @Override public double delaySeconds() {
    return (TAPS - 1) / 2.0 / 16_000;
  }
}
