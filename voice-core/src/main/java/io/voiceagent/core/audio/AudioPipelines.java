package io.voiceagent.core.audio;

/** The pipelines the core ships: {@link #standard()} for every ElevenLabs format, {@link #passThrough()} for tests. */
public final class AudioPipelines {
  /** Agent audio that may wait for playout: 60 s. */
  public static final int PLAYOUT_CAPACITY_MILLIS = 60_000;

  private AudioPipelines() {}

  /**
   * The standard pipeline: every ElevenLabs format both ways. {@code ulaw_8000} is G.711 table lookups only,
   * {@code pcm_8000} byte order only, {@code pcm_16000} the half-band resampler, {@code pcm_22050},
   * {@code pcm_24000}, {@code pcm_44100} and {@code pcm_48000} the polyphase one. Steady state allocates nothing.
   *
   * @throws IllegalArgumentException from {@code create}, naming the format, for any other format
   */
  public static AudioPipelineFactory standard() {
    return (in, out) -> {
      ConvertingAudioPipeline.Upstream up = upstream(in);
      ConvertingAudioPipeline.Downstream down = downstream(out);
      return new ConvertingAudioPipeline(in, out, up, down, PLAYOUT_CAPACITY_MILLIS);
    };
  }

  /** Whether {@link #standard()} converts {@code format} (either way). */
  public static boolean isSupported(AudioFormat format) {
    if (format.encoding() == AudioFormat.Encoding.MULAW) return format.sampleRateHz() == 8000;
    for (int rate : Resampler.RATES_HZ) {
      if (rate == format.sampleRateHz()) return true;
    }
    return false;
  }

  private static void requireSupported(AudioFormat format, String direction) {
    java.util.Objects.requireNonNull(format, direction);
    if (!isSupported(format)) {
      throw new IllegalArgumentException("audio format " + format + " (" + direction + ") is not supported, expected"
          + " ulaw_8000 or pcm_ at 8000, 16000, 22050, 24000, 44100 or 48000 Hz");
    }
  }

  static ConvertingAudioPipeline.Upstream upstream(AudioFormat format) {
    requireSupported(format, "AI input");
    if (format.encoding() == AudioFormat.Encoding.MULAW) return new UlawUpstream();
    if (format.sampleRateHz() == 8000) return new Pcm16Upstream();
    return new ResamplingUpstream(format.sampleRateHz());
  }

  static ConvertingAudioPipeline.Downstream downstream(AudioFormat format) {
    requireSupported(format, "AI output");
    if (format.encoding() == AudioFormat.Encoding.MULAW) return new UlawDownstream();
    if (format.sampleRateHz() == 8000) return new Pcm16Downstream();
    return new ResamplingDownstream(format.sampleRateHz());
  }

  /** 8 kHz PCM to µ-law: one table lookup per sample. */
  static final class UlawUpstream implements ConvertingAudioPipeline.Upstream {
    @Override public int convert(short[] pcm, int samples, byte[] out) {
      G711.encode(G711.Law.ULAW, pcm, 0, out, 0, samples);
      return samples;
    }

    @Override public int maxBytesFor(int samples) {
      return samples;
    }
  }

  /** µ-law to 8 kHz PCM: one table lookup per byte, no partial state. */
  static final class UlawDownstream implements ConvertingAudioPipeline.Downstream {
    @Override public int convert(byte[] data, int offset, int length, short[] out) {
      G711.decode(G711.Law.ULAW, data, offset, out, 0, length);
      return length;
    }

    @Override public int maxSamplesFor(int length) {
      return length;
    }

    @Override public void reset() {
      // stateless
    }
  }

  /** 8 kHz PCM up to the AI's rate, then little-endian bytes. */
  static final class ResamplingUpstream implements ConvertingAudioPipeline.Upstream {
    private final Resampler resampler;
    private short[] resampled; // pacer thread only

    ResamplingUpstream(int rateHz) {
      this.resampler = Resampler.create(8000, rateHz);
      this.resampled = new short[resampler.maxOutputSamples(PlayoutQueue.FRAME_SAMPLES)];
    }

    @Override public int convert(short[] pcm, int samples, byte[] out) {
      if (resampled.length < resampler.maxOutputSamples(samples)) {
        resampled = new short[resampler.maxOutputSamples(samples)];
      }
      int n = resampler.process(pcm, 0, samples, resampled, 0);
      for (int i = 0; i < n; i++) {
        out[2 * i] = (byte) resampled[i];
        out[2 * i + 1] = (byte) (resampled[i] >> 8);
      }
      return 2 * n;
    }

    @Override public int maxBytesFor(int samples) {
      return 2 * resampler.maxOutputSamples(samples);
    }
  }

  /** Little-endian bytes at the AI's rate down to 8 kHz, keeping an odd byte and the filter state. */
  static final class ResamplingDownstream implements ConvertingAudioPipeline.Downstream {
    private static final int PIECE = 1024; // samples decoded per resampler call
    private final Resampler resampler;
    private final short[] pcm = new short[PIECE]; // AI thread only
    private int carry = -1;                       // AI thread only: a low byte waiting for its high byte

    ResamplingDownstream(int rateHz) {
      this.resampler = Resampler.create(rateHz, 8000);
    }

    @Override public int convert(byte[] data, int offset, int length, short[] out) {
      int written = 0;
      int i = offset;
      int end = offset + length;
      int n = 0;
      if (carry >= 0 && i < end) {
        pcm[n++] = (short) ((carry & 0xFF) | (data[i++] << 8));
        carry = -1;
      }
      while (i + 1 < end) {
        pcm[n++] = (short) ((data[i] & 0xFF) | (data[i + 1] << 8));
        i += 2;
        if (n == PIECE) {
          written += resampler.process(pcm, 0, n, out, written);
          n = 0;
        }
      }
      if (i < end) carry = data[i] & 0xFF;
      if (n > 0) written += resampler.process(pcm, 0, n, out, written);
      return written;
    }

    @Override public int maxSamplesFor(int length) {
      return resampler.maxOutputSamples(length / 2 + 1) + 2 * (length / 2 / PIECE + 1);
    }

    @Override public void reset() {
      carry = -1;
      resampler.reset();
    }
  }

  /**
   * The pass-through pipeline: the AI speaks 8 kHz 16-bit PCM both ways, so conversion is only byte order.
   */
  public static AudioPipelineFactory passThrough() {
    return (in, out) -> {
      if (!in.equals(AudioFormat.PCM_8K) || !out.equals(AudioFormat.PCM_8K)) {
        throw new IllegalArgumentException("the pass-through pipeline speaks pcm_8000 only, asked for " + in + " up and "
            + out + " down");
      }
      return new ConvertingAudioPipeline(in, out, new Pcm16Upstream(), new Pcm16Downstream(), PLAYOUT_CAPACITY_MILLIS);
    };
  }

  /** 8 kHz PCM to little-endian bytes. */
  static final class Pcm16Upstream implements ConvertingAudioPipeline.Upstream {
    @Override public int convert(short[] pcm, int samples, byte[] out) {
      for (int i = 0; i < samples; i++) {
        out[2 * i] = (byte) pcm[i];
        out[2 * i + 1] = (byte) (pcm[i] >> 8);
      }
      return samples * 2;
    }

    @Override public int maxBytesFor(int samples) {
      return samples * 2;
    }
  }

  /** Little-endian bytes to 8 kHz PCM, keeping an odd byte for the next chunk. */
  static final class Pcm16Downstream implements ConvertingAudioPipeline.Downstream {
    private int carry = -1; // AI thread only: a low byte waiting for its high byte

    @Override public int convert(byte[] data, int offset, int length, short[] out) {
      int n = 0;
      int i = offset;
      int end = offset + length;
      if (carry >= 0 && i < end) {
        out[n++] = (short) ((carry & 0xFF) | (data[i++] << 8));
        carry = -1;
      }
      for (; i + 1 < end; i += 2) {
        out[n++] = (short) ((data[i] & 0xFF) | (data[i + 1] << 8));
      }
      if (i < end) carry = data[i] & 0xFF;
      return n;
    }

    @Override public int maxSamplesFor(int length) {
      return length / 2 + 1;
    }

    @Override public void reset() {
      carry = -1;
    }
  }
}
