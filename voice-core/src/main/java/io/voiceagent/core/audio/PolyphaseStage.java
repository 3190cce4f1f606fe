package io.voiceagent.core.audio;

import java.util.Arrays;

/**
 * Rational resampling by L/M with a polyphase FIR: conceptually upsample by L (zeros), filter at L × the input
 * rate, keep every M-th sample; only the taps that meet non-zero input are computed. Output {@code n} sits at
 * upsampled index {@code n·M}: phase {@code (n·M) mod L}, newest input {@code (n·M) div L}.
 */
final class PolyphaseStage implements ResamplerStage {
  private static final int CHUNK = 1024;

  private final int up;
  private final int down;
  private final int taps;           // per phase
  private final float[] coef;       // [phase][k], reversed so the inner loop runs forward over the input
  private final float[] x;          // x[0..taps-1) = the last inputs, then the chunk
  private final double delaySeconds;
  private long t;                   // upsampled index of the next output, relative to the chunk start

  /**
   * @param prototype low-pass at {@code inputRateHz·up} with unit DC gain (scaled by {@code up} here)
   */
  PolyphaseStage(float[] prototype, int up, int down, int inputRateHz) {
    this.up = up;
    this.down = down;
    this.taps = (prototype.length + up - 1) / up;
    this.coef = new float[up * taps];
    for (int p = 0; p < up; p++) {
      for (int k = 0; k < taps; k++) {
        int j = p + k * up;
        float h = j < prototype.length ? prototype[j] * up : 0f;
        coef[p * taps + (taps - 1 - k)] = h;
      }
    }
    this.x = new float[taps - 1 + CHUNK];
    this.delaySeconds = (prototype.length - 1) / 2.0 / ((double) inputRateHz * up);
  }

  @Override public int process(short[] in, int off, int len, short[] out, int outOff) {
    int written = 0;
    int hist = taps - 1;
    while (len > 0) {
      int n = Math.min(len, CHUNK);
      for (int i = 0; i < n; i++) x[hist + i] = in[off + i];
      long limit = (long) n * up;
      while (t < limit) {
        int i = (int) (t / up);
        int p = (int) (t - (long) i * up);
        // newest input is x[hist + i]; the window is x[i .. i + taps)
        float acc = 0f;
        int c = p * taps;
        for (int k = 0; k < taps; k++) acc += coef[c + k] * x[i + k];
        out[outOff + written++] = ResamplerStage.clip(acc);
        t += down;
      }
      t -= limit;
      System.arraycopy(x, n, x, 0, hist);
      off += n;
      len -= n;
    }
    return written;
  }

  @Override public int maxOutput(int len) {
    return (int) (((long) len * up + down - 1) / down) + 1;
  }

  @Override public void reset() {
    Arrays.fill(x, 0f);
    t = 0;
  }

  @Override public double delaySeconds() {
    return delaySeconds;
  }
}
