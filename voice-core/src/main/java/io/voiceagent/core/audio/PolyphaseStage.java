package io.voiceagent.core.audio;

import java.util.Arrays;

/**
 * Rational resampling by L/M with a polyphase FIR: conceptually upsample by L (zeros), filter at L × the input
 * rate, keep every M-th sample; only the taps that meet non-zero input are computed. Output {@code n} sits at
 * upsampled index {@code n·M}: phase {@code (n·M) mod L}, newest input {@code (n·M) div L}.
 *
 * <p>Integer interpolation (M = 1) runs phase by phase over consecutive inputs; integer decimation (L = 1) splits
 * the input into its M interleaved streams first; both then loop over consecutive outputs (SIMD). Other ratios,
 * whose filters here have a handful of taps per phase, compute output by output.
 */
final class PolyphaseStage implements ResamplerStage {
  private static final int CHUNK = 1024;

  private final int up;
  private final int down;
  private final int taps;           // per phase
  private final float[] coef;       // [phase][k], reversed so that tap k meets x[newest − (taps−1) + k]
  private final float[] x;          // x[0..taps-1) = the last inputs, then the chunk
  private final float[] acc;
  private final float[][] streams;  // decimation: the M interleaved input streams
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
    this.acc = new float[CHUNK / Math.max(1, down) + 2];
    int perStream = (CHUNK + taps) / Math.max(1, down) + 2;
    this.streams = up == 1 && down > 1 ? new float[down][perStream] : null;
    this.delaySeconds = (prototype.length - 1) / 2.0 / ((double) inputRateHz * up);
  }

  private short[] shortOut; // the current call's destination: one of these two
  private float[] floatOut;

  @Override public int process(short[] in, int off, int len, short[] out, int outOff) {
    shortOut = out;
    floatOut = null;
    int written = 0;
    int hist = taps - 1;
    while (len > 0) {
      int n = Math.min(len, CHUNK);
      for (int i = 0; i < n; i++) x[hist + i] = in[off + i];
      written += chunk(n, outOff + written);
      off += n;
      len -= n;
    }
    shortOut = null;
    return written;
  }

  /**
   * As {@link #process}, from and to floats: between two stages nothing is rounded or clipped (a fractional stage
   * lets images through on purpose, for the next stage to remove; in 16 bits they could overload).
   */
  int process(short[] in, int off, int len, float[] out, int outOff) {
    floatOut = out;
    int written = 0;
    int hist = taps - 1;
    while (len > 0) {
      int n = Math.min(len, CHUNK);
      for (int i = 0; i < n; i++) x[hist + i] = in[off + i];
      written += chunk(n, outOff + written);
      off += n;
      len -= n;
    }
    floatOut = null;
    return written;
  }

  /** See {@link #process(short[], int, int, float[], int)}. */
  int process(float[] in, int off, int len, short[] out, int outOff) {
    shortOut = out;
    int written = 0;
    int hist = taps - 1;
    while (len > 0) {
      int n = Math.min(len, CHUNK);
      System.arraycopy(in, off, x, hist, n);
      written += chunk(n, outOff + written);
      off += n;
      len -= n;
    }
    shortOut = null;
    return written;
  }

  private void emit(int index, float v) {
    if (floatOut != null) floatOut[index] = v;
    else shortOut[index] = ResamplerStage.clip(v);
  }

  /** Filters the {@code n} new samples in {@code x}; returns how many outputs were written from outOff. */
  private int chunk(int n, int outOff) {
    int written = down == 1 ? interpolate(n, outOff) : up == 1 ? decimate(n, outOff) : rational(n, outOff);
    System.arraycopy(x, n, x, 0, taps - 1);
    return written;
  }

  /** M = 1: every input yields L outputs, phase p at position i·L + p. */
  private int interpolate(int n, int outOff) {
    for (int p = 0; p < up; p++) {
      Arrays.fill(acc, 0, n, 0f);
      int c0 = p * taps;
      for (int k = 0; k < taps; k++) {
        float c = coef[c0 + k];
        for (int i = 0; i < n; i++) acc[i] += c * x[i + k];
      }
      for (int i = 0; i < n; i++) emit(outOff + i * up + p, acc[i]);
    }
    return n * up;
  }

  /** L = 1: outputs at chunk indices t, t+M, ...; output m's window is x[t + m·M .. + taps). */
  private int decimate(int n, int outOff) {
    if (t >= n) {
      t -= n;
      return 0;
    }
    int start = (int) t;
    int count = (n - 1 - start) / down + 1;
    int perStream = count + (taps + down - 1) / down;
    // stream q holds x[start + q + r·M]; tap k = q + j·M of output m meets stream q at r = m + j
    for (int q = 0; q < down; q++) {
      float[] s = streams[q];
      int limit = Math.min(perStream, (x.length - start - q + down - 1) / down);
      for (int r = 0; r < limit; r++) s[r] = x[start + q + r * down];
    }
    Arrays.fill(acc, 0, count, 0f);
    for (int k = 0; k < taps; k++) {
      float c = coef[k];
      float[] s = streams[k % down];
      int j = k / down;
      for (int m = 0; m < count; m++) acc[m] += c * s[m + j];
    }
    for (int m = 0; m < count; m++) emit(outOff + m, acc[m]);
    t = start + (long) count * down - n;
    return count;
  }

  private int rational(int n, int outOff) {
    int written = 0;
    long limit = (long) n * up;
    while (t < limit) {
      int i = (int) (t / up);
      int p = (int) (t - (long) i * up);
      // newest input is x[hist + i]; the window is x[i .. i + taps)
      float a0 = 0f;
      float a1 = 0f;
      int c = p * taps;
      int k = 0;
      for (; k + 1 < taps; k += 2) {
        a0 += coef[c + k] * x[i + k];
        a1 += coef[c + k + 1] * x[i + k + 1];
      }
      if (k < taps) a0 += coef[c + k] * x[i + k];
      emit(outOff + written++, a0 + a1);
      t += down;
    }
    t -= limit;
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
