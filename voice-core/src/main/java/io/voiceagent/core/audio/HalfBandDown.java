package io.voiceagent.core.audio;

/**
 * 16 → 8 kHz with the 63-tap half-band filter: one output per two inputs, 16 folded multiplies plus the ½
 * centre tap.
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
  private int phase; // chunk index of the next input that ends a window (even global index): 0 or 1

  @Override public int process(short[] in, int off, int len, short[] out, int outOff) {
    int written = 0;
    while (len > 0) {
      int n = Math.min(len, CHUNK);
      for (int i = 0; i < n; i++) x[HISTORY + i] = in[off + i];
      // an output falls on every input with (global index) even; window ends there and spans 63 inputs
      for (int i = phase; i < n; i += 2) {
        int b = i; // window x[b .. b+62]
        float acc = 0.5f * x[b + 31];
        for (int k = 0; k < HALF; k++) acc += PAIRS[k] * (x[b + 2 * k] + x[b + HISTORY - 2 * k]);
        out[outOff + written++] = ResamplerStage.clip(acc);
      }
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
    java.util.Arrays.fill(x, 0f);
    phase = 0;
  }

  @Override public double delaySeconds() {
    return (TAPS - 1) / 2.0 / 16_000;
  }
}
