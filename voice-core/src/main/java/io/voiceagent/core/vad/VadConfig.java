package io.voiceagent.core.vad;

/**
 * Settings of a {@link Vad}.
 *
 * @param sampleRateHz 8000 or 16000
 * @param frameMillis 10 or 20
 * @param silenceThreshold mean |sample| (16-bit scale) below which a frame is silence whatever the noise floor:
 *     Asterisk app_amd's {@code silence_threshold}, 256 by default
 * @param marginDb how far a frame's energy must rise above the tracked noise floor to count as active (9 dB)
 * @param onsetMillis active audio needed before speech is declared (40 ms: a click is not speech)
 * @param hangoverMillis inactive audio needed before speech is declared over (300 ms: bridges the gaps between
 *     words and the stop closures inside them)
 */
public record VadConfig(int sampleRateHz, int frameMillis, int silenceThreshold, double marginDb, int onsetMillis,
    int hangoverMillis) {
  /** 8 kHz, 20 ms frames, threshold 256, 9 dB margin, 40 ms onset, 300 ms hangover. */
  public static final VadConfig DEFAULT = new VadConfig(8000, 20, 256, 9.0, 40, 300);

  public VadConfig {
    if (sampleRateHz != 8000 && sampleRateHz != 16000) {
      throw new IllegalArgumentException("sampleRateHz is " + sampleRateHz + ", expected 8000 or 16000");
    }
    if (frameMillis != 10 && frameMillis != 20) {
      throw new IllegalArgumentException("frameMillis is " + frameMillis + ", expected 10 or 20");
    }
    if (silenceThreshold < 0 || silenceThreshold > 32767) {
      throw new IllegalArgumentException("silenceThreshold is " + silenceThreshold + ", expected 0..32767");
    }
    if (!(marginDb >= 0 && marginDb <= 40)) {
      throw new IllegalArgumentException("marginDb is " + marginDb + ", expected 0..40");
    }
    if (onsetMillis < 0 || onsetMillis > 2000) {
      throw new IllegalArgumentException("onsetMillis is " + onsetMillis + ", expected 0..2000");
    }
    if (hangoverMillis < 0 || hangoverMillis > 5000) {
      throw new IllegalArgumentException("hangoverMillis is " + hangoverMillis + ", expected 0..5000");
    }
  }

  /** The default settings at another rate and frame size. */
  public static VadConfig defaults(int sampleRateHz, int frameMillis) {
    return new VadConfig(sampleRateHz, frameMillis, DEFAULT.silenceThreshold, DEFAULT.marginDb, DEFAULT.onsetMillis,
        DEFAULT.hangoverMillis);
  }

  /** A copy with another silence threshold (app_amd's {@code silence_threshold}). */
  public VadConfig withSilenceThreshold(int threshold) {
    return new VadConfig(sampleRateHz, frameMillis, threshold, marginDb, onsetMillis, hangoverMillis);
  }

  /** A copy with other onset and hangover times. */
  public VadConfig withTiming(int onsetMillis, int hangoverMillis) {
    return new VadConfig(sampleRateHz, frameMillis, silenceThreshold, marginDb, onsetMillis, hangoverMillis);
  }

  /** Samples per frame. */
  public int frameSamples() {
    return sampleRateHz / 1000 * frameMillis;
  }
}
