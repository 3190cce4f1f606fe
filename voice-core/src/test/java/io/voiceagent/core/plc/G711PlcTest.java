package io.voiceagent.core.plc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Concealment measured in signal time: the PLC delays everything by {@link G711Plc#DELAY_SAMPLES}, so output
 * sample {@code n + DELAY} stands for input sample {@code n}.
 */
class G711PlcTest {
  private static final int F = G711Plc.FRAME_SAMPLES;
  private static final int DELAY = G711Plc.DELAY_SAMPLES;

  /** Exactly periodic, 50 samples (160 Hz), rich in harmonics: a steady vowel stand-in. */
  static short periodic(int n) {
    double p = 2 * Math.PI * n / 50.0;
    return (short) Math.round(5000 * (Math.sin(p) + 0.6 * Math.sin(2 * p + 0.4) + 0.3 * Math.sin(3 * p + 1.3)));
  }

  /** Period 57.3 samples: repetition of a whole-sample period cannot match it exactly. */
  static short drifting(int n) {
    double p = 2 * Math.PI * n / 57.3;
    return (short) Math.round(5000 * (Math.sin(p) + 0.5 * Math.sin(2 * p + 0.9)));
  }

  /** Runs {@code frames} frames of {@code signal}, losing frames [lostFrom, lostFrom+lostCount); returns output. */
  static short[] run(IntUnaryOperator signal, int frames, int lostFrom, int lostCount) {
    G711Plc plc = new G711Plc();
    short[] out = new short[frames * F];
    for (int k = 0; k < frames; k++) {
      if (k >= lostFrom && k < lostFrom + lostCount) {
        plc.conceal(out, k * F);
      } else {
        for (int i = 0; i < F; i++) out[k * F + i] = (short) signal.applyAsInt(k * F + i);
        plc.good(out, k * F);
      }
    }
    return out;
  }

  static double energy(short[] y, int from, int n) {
    double e = 0;
    for (int i = from; i < from + n; i++) e += (double) y[i] * y[i];
    return e / n;
  }

  @Test void givenNoLoss_whenFramesPass_thenOutputIsInputDelayed375us() {
    short[] out = run(G711PlcTest::periodic, 50, 1000, 0);
    for (int n = 0; n + DELAY < out.length; n++) assertEquals(periodic(n), out[n + DELAY], "sample " + n);
    for (int n = 0; n < DELAY; n++) assertEquals(0, out[n]);
  }

  @Test void givenPeriodicSignal_whenFirst20msLost_thenConcealmentAtLeast20dBSnr() {
    int lostFrom = 100;
    short[] out = run(G711PlcTest::periodic, 110, lostFrom, 2);
    double signal = 0;
    double noise = 0;
    for (int n = lostFrom * F; n < (lostFrom + 2) * F; n++) {
      double x = periodic(n);
      double e = out[n + DELAY] - x;
      signal += x * x;
      noise += e * e;
    }
    double snr = 10 * Math.log10(signal / noise);
    assertTrue(snr >= 20, "SNR of the first 20 ms concealed: " + snr + " dB");
  }

  @Test void givenLongBurst_whenConcealed_thenEnergyNeverRisesAndIsBelowMinus40dBBy60ms() {
    int lostFrom = 100;
    for (IntUnaryOperator signal : new IntUnaryOperator[] {G711PlcTest::periodic, G711PlcTest::drifting}) {
      short[] out = run(signal, 115, lostFrom, 12);
      short[] clean = run(signal, 115, 1000, 0);
      double previous = Double.MAX_VALUE;
      for (int k = 0; k < 12; k++) {
        // energy relative to what the signal had in the same 10 ms, so the window's phase does not count
        double e = energy(out, (lostFrom + k) * F + DELAY, F) / energy(clean, (lostFrom + k) * F + DELAY, F);
        assertTrue(e <= previous * 1.02, "10 ms block " + k + " of the burst: relative energy " + e + " after " + previous);
        previous = e;
        if (k >= 6) {
          double db = e == 0 ? Double.NEGATIVE_INFINITY : 10 * Math.log10(e);
          assertTrue(db <= -40, "block at " + k * 10 + " ms: " + db + " dB");
        }
      }
    }
  }

  @Test void givenLossesOf10To50ms_whenConcealedAndRecovered_thenNoSeamJumpAbove1point5TimesSignalSlope() {
    // the bound: no sample-to-sample step near a seam exceeds 1.5 × the largest step of the clean signal
    for (IntUnaryOperator signal : new IntUnaryOperator[] {G711PlcTest::periodic, G711PlcTest::drifting}) {
      int maxStep = 0;
      for (int n = 1; n < 10_000; n++) maxStep = Math.max(maxStep, Math.abs(signal.applyAsInt(n) - signal.applyAsInt(n - 1)));
      for (int lost = 1; lost <= 5; lost++) {
        int lostFrom = 60;
        short[] out = run(signal, 80, lostFrom, lost);
        int[] seams = {lostFrom * F + DELAY, (lostFrom + lost) * F + DELAY};
        for (int seam : seams) {
          for (int n = seam - 40; n < seam + 90; n++) {
            int step = Math.abs(out[n] - out[n - 1]);
            assertTrue(step <= 1.5 * maxStep, "lost " + lost + " frames: step " + step + " at " + (n - seam)
                + " from the seam, clean signal's largest " + maxStep);
          }
        }
      }
    }
  }

  @Test void givenLoss_whenGoodFramesReturn_thenOutputIsExactAgainAfterTheMergeFrame() {
    int lostFrom = 40;
    short[] out = run(G711PlcTest::drifting, 60, lostFrom, 3);
    for (int n = (lostFrom + 4) * F; n + DELAY < out.length; n++) {
      assertEquals(drifting(n), out[n + DELAY], "sample " + n);
    }
  }

  @Test void givenLongLoss_whenConcealedAndThenReset_thenSilentFrom60msAndStartsFromSilence() {
    G711Plc plc = new G711Plc();
    short[] frame = new short[F];
    for (int k = 0; k < 10; k++) {
      for (int i = 0; i < F; i++) frame[i] = periodic(k * F + i);
      plc.good(frame, 0);
    }
    for (int k = 0; k < 7; k++) plc.conceal(frame, 0);
    assertTrue(plc.exhausted());
    for (int i = DELAY; i < F; i++) assertEquals(0, frame[i], "silent from 60 ms into the loss");
    plc.conceal(frame, 0);
    assertArrayEquals(new short[F], frame);
    plc.reset();
    assertEquals(0, plc.erasedFrames());
    short[] one = new short[F];
    java.util.Arrays.fill(one, (short) 100);
    plc.good(one, 0);
    for (int i = 0; i < DELAY; i++) assertEquals(0, one[i], "history was cleared");
  }
}
