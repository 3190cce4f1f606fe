package io.voiceagent.core.audio;

import java.util.Objects;

/**
 * An audio format on the AI side of the pipeline: 16-bit little-endian PCM or µ-law, mono, at a sample
 * rate. The phone side is always 8 kHz G.711, decoded to PCM by the media engine.
 */
public record AudioFormat(Encoding encoding, int sampleRateHz) {
  public enum Encoding { PCM_S16LE, MULAW }

  public static final AudioFormat PCM_8K = new AudioFormat(Encoding.PCM_S16LE, 8000);
  public static final AudioFormat PCM_16K = new AudioFormat(Encoding.PCM_S16LE, 16000);
  public static final AudioFormat ULAW_8K = new AudioFormat(Encoding.MULAW, 8000);

  public AudioFormat {
    Objects.requireNonNull(encoding, "encoding");
    if (sampleRateHz <= 0) throw new IllegalArgumentException("sampleRateHz is " + sampleRateHz + ", expected > 0");
    if (encoding == Encoding.MULAW && sampleRateHz != 8000) {
      throw new IllegalArgumentException("µ-law is 8000 Hz only, got " + sampleRateHz);
    }
  }

  public int bytesPerSample() {
    return encoding == Encoding.PCM_S16LE ? 2 : 1;
  }

  /** Bytes in {@code millis} of audio (whole samples). */
  public int bytesFor(int millis) {
    return (int) ((long) sampleRateHz * millis / 1000) * bytesPerSample();
  }

  /**
   * Parses ElevenLabs-style names: {@code pcm_16000}, {@code ulaw_8000}.
   *
   * @throws IllegalArgumentException naming the text when it is not one of those
   */
  public static AudioFormat parse(String name) {
    if (name != null) {
      int us = name.indexOf('_');
      if (us > 0) {
        String kind = name.substring(0, us);
        try {
          int rate = Integer.parseInt(name.substring(us + 1));
          if (kind.equals("pcm")) return new AudioFormat(Encoding.PCM_S16LE, rate);
          if (kind.equals("ulaw") || kind.equals("mulaw")) return new AudioFormat(Encoding.MULAW, rate);
        } catch (IllegalArgumentException e) {
          // falls through to the error below, which names the input
        }
      }
    }
    throw new IllegalArgumentException("unknown audio format '" + name + "', expected pcm_<rate> or ulaw_8000");
  }

  /** The name {@link #parse} reads: {@code pcm_16000}, {@code ulaw_8000}. */
  public String wireName() {
    return (encoding == Encoding.PCM_S16LE ? "pcm_" : "ulaw_") + sampleRateHz;
  }

  @Override public String toString() {
    return wireName();
  }
}
