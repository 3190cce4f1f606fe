package io.voiceagent.core.audio;

/** The pipelines the core ships. */
public final class AudioPipelines {
  /** Agent audio that may wait for playout: 60 s. */
  public static final int PLAYOUT_CAPACITY_MILLIS = 60_000;

  private AudioPipelines() {}

  /**
   * The pipeline for every format the core converts. Until the DSP lands this is the pass-through one.
   */
  public static AudioPipelineFactory standard() {
    return passThrough();
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
