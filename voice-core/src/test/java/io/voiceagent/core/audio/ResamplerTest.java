package io.voiceagent.core.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Tones in, spectra out: every measurement is a coherent DFT over exactly one second of steady state. */
class ResamplerTest {
  private static final double AMPLITUDE = 16_000;

  static short[] tone(double hz, int rate, int samples) {
    short[] s = new short[samples];
    for (int n = 0; n < samples; n++) s[n] = (short) Math.round(AMPLITUDE * Math.sin(2 * Math.PI * hz * n / rate));
    return s;
  }

  /** Feeds {@code in} in 20 ms chunks; returns all output. */
  static short[] run(Resampler r, short[] in) {
    int chunk = r.inputRateHz() / 50;
    short[] out = new short[r.maxOutputSamples(in.length) + 16];
    int n = 0;
    for (int off = 0; off < in.length; off += chunk) n += r.process(in, off, Math.min(chunk, in.length - off), out, n);
    return Arrays.copyOf(out, n);
  }

  /** Complex DFT bin at {@code hz} over {@code rate} samples from {@code from}: {re, im}. */
  static double[] dft(short[] y, int from, int rate, double hz) {
    double re = 0;
    double im = 0;
    for (int n = 0; n < rate; n++) {
      double a = 2 * Math.PI * hz * n / rate;
      re += y[from + n] * Math.cos(a);
      im -= y[from + n] * Math.sin(a);
    }
    return new double[] {re, im};
  }

  static double amplitude(short[] y, int from, int rate, double hz) {
    double[] c = dft(y, from, rate, hz);
    return 2 * Math.hypot(c[0], c[1]) / rate;
  }

  static double db(double ratio) {
    return 20 * Math.log10(ratio);
  }

  @ParameterizedTest
  @ValueSource(ints = {16000, 22050, 24000, 44100, 48000})
  void givenTonesUpsampled_whenSpectrumMeasured_thenEveryImageAtLeast80dBDown(int rate) {
    Resampler r = Resampler.create(8000, rate);
    for (double f : new double[] {300, 1000, 2000, 3400}) {
      r.reset();
      short[] out = run(r, tone(f, 8000, 8000 * 3 / 2));
      int from = rate / 4;
      double level = amplitude(out, from, rate, f);
      assertEquals(AMPLITUDE, level, AMPLITUDE * 0.002, "tone level at " + f + " Hz");
      for (int k = 8000; k - f < rate / 2.0; k += 8000) {
        for (double image : new double[] {k - f, k + f}) {
          if (image >= rate / 2.0) continue;
          double rel = db(amplitude(out, from, rate, image) / level);
          assertTrue(rel <= -80, "8k→" + rate + ": " + f + " Hz tone, image at " + image + " Hz is " + rel + " dB");
        }
      }
    }
  }

  /**
   * Full-scale tones every 100 Hz from 4.6 kHz to Nyquist. Full scale, because a −80 dB alias of a smaller tone
   * is under 2 LSB and the output's own rounding would decide the measurement; aliases at 0 Hz are skipped (the
   * bin is not a tone's).
   */
  @ParameterizedTest
  @ValueSource(ints = {16000, 22050, 24000, 44100, 48000})
  void givenFullScaleTonesAbove4600HzDownsampled_whenSpectrumMeasured_thenAliasAtLeast80dBDown(int rate) {
    Resampler r = Resampler.create(rate, 8000);
    for (int hz = 4600; hz < rate / 2 - 50; hz += 100) {
      int alias = hz % 8000;
      if (alias > 4000) alias = 8000 - alias;
      if (alias == 0) continue;
      r.reset();
      short[] in = new short[rate * 3 / 2];
      for (int n = 0; n < in.length; n++) in[n] = (short) Math.round(32_000 * Math.sin(2 * Math.PI * hz * n / rate));
      short[] out = run(r, in);
      double rel = db(amplitude(out, 2000, 8000, alias) / 32_000);
      assertTrue(rel <= -80, rate + "→8k: " + hz + " Hz aliases to " + alias + " Hz at " + rel + " dB");
    }
  }

  /** The two-stage paths carry images between their stages: in 16 bits a full-scale tone would overload there. */
  @ParameterizedTest
  @ValueSource(ints = {22050, 44100})
  void givenFullScaleToneAbove4600Hz_whenDownsampledThroughTwoStages_thenNothingComesOut(int rate) {
    Resampler r = Resampler.create(rate, 8000);
    for (int hz : new int[] {5000, 7025, 9000, 10_000}) {
      r.reset();
      short[] in = new short[rate];
      for (int n = 0; n < in.length; n++) in[n] = (short) Math.round(32_000 * Math.sin(2 * Math.PI * hz * n / rate));
      short[] out = run(r, in);
      double power = 0;
      for (int n = 800; n < out.length; n++) power += (double) out[n] * out[n];
      double rms = Math.sqrt(power / (out.length - 800));
      assertTrue(rms < 3, rate + " Hz, " + hz + " Hz tone: " + rms + " rms left at 8 kHz");
    }
  }

  @Test void given6kHzToneAt16k_whenDownsampled_thenAliasAt2kHzAtLeast80dBDown() {
    short[] out = run(Resampler.create(16000, 8000), tone(6000, 16000, 24000));
    assertTrue(db(amplitude(out, 2000, 8000, 2000) / AMPLITUDE) <= -80);
  }

  @Test void given1kHzToneAt8k_whenUpsampledTo16k_thenAt7kHzAtLeast80dBDown() {
    short[] out = run(Resampler.create(8000, 16000), tone(1000, 8000, 12000));
    double level = amplitude(out, 4000, 16000, 1000);
    assertTrue(db(amplitude(out, 4000, 16000, 7000) / level) <= -80);
  }

  @ParameterizedTest
  @ValueSource(ints = {16000, 22050, 24000, 44100, 48000})
  void givenTonesTo3400Hz_whenResampledEachWay_thenRippleAtMost001dB(int rate) {
    double[] up = new double[2];
    double[] down = new double[2];
    Arrays.fill(up, 0, 1, Double.MAX_VALUE);
    Arrays.fill(down, 0, 1, Double.MAX_VALUE);
    up[1] = -Double.MAX_VALUE;
    down[1] = -Double.MAX_VALUE;
    Resampler u = Resampler.create(8000, rate);
    Resampler d = Resampler.create(rate, 8000);
    for (int f = 100; f <= 3400; f += 100) {
      u.reset();
      d.reset();
      double gu = db(amplitude(run(u, tone(f, 8000, 12000)), rate / 4, rate, f) / AMPLITUDE);
      double gd = db(amplitude(run(d, tone(f, rate, rate * 3 / 2)), 2000, 8000, f) / AMPLITUDE);
      up[0] = Math.min(up[0], gu);
      up[1] = Math.max(up[1], gu);
      down[0] = Math.min(down[0], gd);
      down[1] = Math.max(down[1], gd);
    }
    assertTrue(up[1] - up[0] <= 0.01, "8k→" + rate + " ripple " + (up[1] - up[0]) + " dB");
    assertTrue(down[1] - down[0] <= 0.01, rate + "→8k ripple " + (down[1] - down[0]) + " dB");
  }

  @ParameterizedTest
  @ValueSource(ints = {16000, 22050, 24000, 44100, 48000})
  void givenTones300To3400Hz_whenRoundTripped_thenGainErrorAtMost001dB(int rate) {
    Resampler u = Resampler.create(8000, rate);
    Resampler d = Resampler.create(rate, 8000);
    for (int f = 300; f <= 3400; f += 100) {
      u.reset();
      d.reset();
      short[] back = run(d, run(u, tone(f, 8000, 12000)));
      double g = db(amplitude(back, 2000, 8000, f) / AMPLITUDE);
      assertTrue(Math.abs(g) <= 0.01, rate + " round trip at " + f + " Hz: " + g + " dB");
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {16000, 22050, 24000, 44100, 48000})
  void givenTone_whenResampled_thenMeasuredDelayMatchesDeclaredAndIsAtMost2ms(int rate) {
    for (Resampler r : new Resampler[] {Resampler.create(8000, rate), Resampler.create(rate, 8000)}) {
      assertTrue(r.groupDelayMillis() <= 2.0, r + " declares " + r.groupDelayMillis() + " ms");
      double f = 300; // period 3.3 ms: longer than any delay, so the phase is unambiguous
      int inRate = r.inputRateHz();
      int outRate = r.outputRateHz();
      short[] in = tone(f, inRate, inRate * 3 / 2);
      short[] out = run(r, in);
      double[] a = dft(in, inRate / 5, inRate, f); // 200 ms: a whole sample at every rate
      double[] b = dft(out, outRate / 5, outRate, f);
      double phase = Math.atan2(a[1], a[0]) - Math.atan2(b[1], b[0]);
      phase = (phase % (2 * Math.PI) + 2 * Math.PI) % (2 * Math.PI);
      double delayMs = phase / (2 * Math.PI * f) * 1000;
      assertEquals(r.groupDelayMillis(), delayMs, 0.02, r + " measured delay");
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {8000, 16000, 22050, 24000, 44100, 48000})
  void givenSameInput_whenFedInOneChunkOrMany_thenSameOutput(int rate) {
    Random random = new Random(rate);
    for (Resampler[] pair : new Resampler[][] {
        {Resampler.create(8000, rate), Resampler.create(8000, rate)},
        {Resampler.create(rate, 8000), Resampler.create(rate, 8000)}}) {
      int inRate = pair[0].inputRateHz();
      short[] in = new short[inRate / 25 * 3]; // 120 ms
      for (int i = 0; i < in.length; i++) in[i] = (short) (random.nextGaussian() * 5000);
      short[] whole = new short[pair[0].maxOutputSamples(in.length)];
      int n = pair[0].process(in, 0, in.length, whole, 0);
      short[] pieces = new short[whole.length + 64];
      int m = 0;
      int off = 0;
      while (off < in.length) {
        int len = Math.min(in.length - off, 1 + random.nextInt(inRate / 400 + 3));
        m += pair[1].process(in, off, len, pieces, m);
        off += len;
      }
      assertEquals(n, m, pair[0] + " output count");
      assertArrayEquals(Arrays.copyOf(whole, n), Arrays.copyOf(pieces, m), pair[0].toString());
    }
  }

  @Test void given320SamplesAsOneOrSixteenChunks_whenUpsampledTo16k_thenIdentical() {
    short[] in = tone(1234, 8000, 320);
    Resampler one = Resampler.create(8000, 16000);
    Resampler many = Resampler.create(8000, 16000);
    short[] a = new short[640];
    short[] b = new short[640];
    assertEquals(640, one.process(in, 0, 320, a, 0));
    int n = 0;
    for (int k = 0; k < 16; k++) n += many.process(in, k * 20, 20, b, n);
    assertEquals(640, n);
    assertArrayEquals(a, b);
  }

  @Test void givenHistory_whenReset_thenOutputAsFromNew() {
    Resampler used = Resampler.create(22050, 8000);
    short[] junk = tone(5000, 22050, 2205);
    used.process(junk, 0, junk.length, new short[used.maxOutputSamples(junk.length)], 0);
    used.reset();
    short[] in = tone(700, 22050, 4410);
    assertArrayEquals(run(Resampler.create(22050, 8000), in), run(used, in));
  }

  @Test void givenUnsupportedRates_whenCreated_thenErrorNamesThem() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Resampler.create(8000, 11025));
    assertTrue(e.getMessage().contains("11025"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Resampler.create(16000, 48000));
    assertTrue(e.getMessage().contains("16000 Hz to 48000 Hz"), e.getMessage());
  }
}
