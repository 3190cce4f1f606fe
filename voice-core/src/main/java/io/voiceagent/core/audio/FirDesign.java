package io.voiceagent.core.audio;

/** Kaiser-window FIR design, for filters too long to ship as constants (the fractional polyphase prototype). */
final class FirDesign {
  private FirDesign() {}

  /**
   * Low-pass at {@code rateHz} with passband to {@code passHz}, stopband from {@code stopHz}, at least
   * {@code attenuationDb} down: a Kaiser-windowed sinc cut at the middle of the transition, odd length, unit DC
   * gain.
   */
  static float[] kaiserLowPass(double rateHz, double passHz, double stopHz, double attenuationDb) {
    double transition = 2 * Math.PI * (stopHz - passHz) / rateHz;
    int n = (int) Math.ceil((attenuationDb - 7.95) / (2.285 * transition)) + 1;
    if (n % 2 == 0) n++;
    double beta = attenuationDb > 50 ? 0.1102 * (attenuationDb - 8.7)
        : attenuationDb >= 21 ? 0.5842 * Math.pow(attenuationDb - 21, 0.4) + 0.07886 * (attenuationDb - 21) : 0;
    double fc = (passHz + stopHz) / 2 / rateHz; // cycles per sample
    double mid = (n - 1) / 2.0;
    double i0Beta = besselI0(beta);
    double[] h = new double[n];
    double sum = 0;
    for (int i = 0; i < n; i++) {
      double m = i - mid;
      double sinc = m == 0 ? 2 * fc : Math.sin(2 * Math.PI * fc * m) / (Math.PI * m);
      double r = m / mid;
      double w = besselI0(beta * Math.sqrt(Math.max(0, 1 - r * r))) / i0Beta;
      h[i] = sinc * w;
      sum += h[i];
    }
    float[] out = new float[n];
    for (int i = 0; i < n; i++) out[i] = (float) (h[i] / sum);
    return out;
  }

  /** Modified Bessel function of the first kind, order 0 (power series). */
  static double besselI0(double x) {
    double sum = 1;
    double term = 1;
    double half = x / 2;
    for (int k = 1; k < 200; k++) {
      term *= (half / k) * (half / k);
      sum += term;
      if (term < sum * 1e-17) break;
    }
    return sum;
  }
}
