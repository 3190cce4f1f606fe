package io.voiceagent.core.audio;

/**
 * Stateful sample-rate conversion of 16-bit mono PCM between the phone's 8 kHz and the AI's rates.
 *
 * <ul>
 *   <li>8 ↔ 16 kHz: 63-tap half-band FIR (Parks–McClellan), 16 multiplies per output; 81 dB stopband, 0.0015 dB
 *       ripple, 1.94 ms delay.</li>
 *   <li>8 ↔ 24 kHz: polyphase ×3 / ÷3 with an 87-tap weighted Parks–McClellan filter; 82 dB, 1.79 ms.</li>
 *   <li>8 ↔ 48 kHz: polyphase ×6 / ÷6 with a 181-tap one; 82.7 dB, 1.875 ms.</li>
 *   <li>8 ↔ 22.05 and 44.1 kHz: the 48 kHz path plus a short rational stage 48 ↔ 22.05/44.1 kHz (147/320,
 *       147/160) whose Kaiser prototype (90 dB) needs only to keep the 0–4.6 kHz band clean; ≈ 1.96 ms in all.</li>
 * </ul>
 * All: passband 0–3.4 kHz, stopband from 4.6 kHz, ≥ 80 dB. Output is continuous across calls: feeding one 320
 * sample chunk or sixteen of 20 gives the same samples; call {@link #reset()} after a discontinuity (a gap in the
 * input, a new stream). Not thread-safe; allocation-free after construction.
 */
public final class Resampler {
  /** Rates the resampler converts to and from 8000 Hz. */
  public static final int[] RATES_HZ = {8000, 16000, 22050, 24000, 44100, 48000};
  private static final int CHUNK = 512;
  private static final int PHONE = 8000;

  private final int inputRateHz;
  private final int outputRateHz;
  private final ResamplerStage first;  // null: copy
  private final PolyphaseStage second; // null: one stage
  private final float[] middle;        // between two stages: floats, neither rounded nor clipped

  private Resampler(int inputRateHz, int outputRateHz, ResamplerStage first, PolyphaseStage second) {
    this.inputRateHz = inputRateHz;
    this.outputRateHz = outputRateHz;
    this.first = first;
    this.second = second;
    this.middle = second == null ? null : new float[first.maxOutput(CHUNK)];
  }

  /**
   * A resampler from {@code inputRateHz} to {@code outputRateHz}; one of them must be 8000 and the other one of
   * {@link #RATES_HZ}.
   *
   * @throws IllegalArgumentException naming the rates when the pair is not supported
   */
  public static Resampler create(int inputRateHz, int outputRateHz) {
    if (inputRateHz == PHONE && outputRateHz == PHONE) return new Resampler(PHONE, PHONE, null, null);
    if (inputRateHz == PHONE) {
      switch (outputRateHz) {
        case 16000: return new Resampler(PHONE, 16000, new HalfBandUp(), null);
        case 24000: return new Resampler(PHONE, 24000, new PolyphaseStage(FilterCoefficients.X3, 3, 1, PHONE), null);
        case 48000: return new Resampler(PHONE, 48000, up6(), null);
        case 22050: return new Resampler(PHONE, 22050, up6(), new PolyphaseStage(fractional(), 147, 320, 48000));
        case 44100: return new Resampler(PHONE, 44100, up6(), new PolyphaseStage(fractional(), 147, 160, 48000));
        default: break;
      }
    } else if (outputRateHz == PHONE) {
      switch (inputRateHz) {
        case 16000: return new Resampler(16000, PHONE, new HalfBandDown(), null);
        case 24000: return new Resampler(24000, PHONE, new PolyphaseStage(FilterCoefficients.X3, 1, 3, 24000), null);
        case 48000: return new Resampler(48000, PHONE, down6(), null);
        case 22050: return new Resampler(22050, PHONE, new PolyphaseStage(fractional(), 320, 147, 22050), down6());
        case 44100: return new Resampler(44100, PHONE, new PolyphaseStage(fractional(), 160, 147, 44100), down6());
        default: break;
      }
    }
    throw new IllegalArgumentException("cannot resample " + inputRateHz + " Hz to " + outputRateHz
        + " Hz, expected 8000 Hz on one side and one of 8000, 16000, 22050, 24000, 44100, 48000 Hz on the other");
  }

  private static PolyphaseStage up6() {
    return new PolyphaseStage(FilterCoefficients.X6, 6, 1, PHONE);
  }

  private static PolyphaseStage down6() {
    return new PolyphaseStage(FilterCoefficients.X6, 1, 6, 48000);
  }

  private static float[] fractional;

  /** 48 ↔ 22.05/44.1 kHz prototype at 7.056 MHz: only 0–4.6 kHz matters, images from 39.5 kHz must go. */
  private static synchronized float[] fractional() {
    if (fractional == null) fractional = FirDesign.kaiserLowPass(48000.0 * 147, 4600, 39500, 90);
    return fractional;
  }

  public int inputRateHz() {
    return inputRateHz;
  }

  public int outputRateHz() {
    return outputRateHz;
  }

  /**
   * Converts {@code inLength} samples from {@code in[inOffset]} into {@code out} from {@code outOffset}, which
   * must have room for {@link #maxOutputSamples(int) maxOutputSamples(inLength)}.
   *
   * @return the number of samples written
   */
  public int process(short[] in, int inOffset, int inLength, short[] out, int outOffset) {
    java.util.Objects.checkFromIndexSize(inOffset, inLength, in.length);
    if (outOffset < 0 || outOffset > out.length) throw new IndexOutOfBoundsException("outOffset " + outOffset);
    if (first == null) {
      System.arraycopy(in, inOffset, out, outOffset, inLength);
      return inLength;
    }
    if (second == null) return first.process(in, inOffset, inLength, out, outOffset);
    int written = 0;
    while (inLength > 0) {
      int n = Math.min(inLength, CHUNK);
      int m = ((PolyphaseStage) first).process(in, inOffset, n, middle, 0);
      written += second.process(middle, 0, m, out, outOffset + written);
      inOffset += n;
      inLength -= n;
    }
    return written;
  }

  /** Upper bound on the output of {@code inputSamples} input samples, whatever came before. */
  public int maxOutputSamples(int inputSamples) {
    return (int) (((long) inputSamples * outputRateHz + inputRateHz - 1) / inputRateHz) + 2;
  }

  /** Group delay through the filters, in milliseconds. */
  public double groupDelayMillis() {
    double s = (first == null ? 0 : first.delaySeconds()) + (second == null ? 0 : second.delaySeconds());
    return s * 1000;
  }

  /** Forgets the filter history: call after a gap or a new stream, so old audio does not ring into new. */
  public void reset() {
    if (first != null) first.reset();
    if (second != null) second.reset();
  }

  @Override public String toString() {
    return "Resampler[" + inputRateHz + " → " + outputRateHz + " Hz]";
  }
}
