package io.voiceagent.core.audio;

import java.util.Objects;

/**
 * An {@link AudioPipeline} made of two converters and a {@link PlayoutQueue}: callee PCM is encoded for the
 * AI by an {@link Upstream}; agent audio is decoded to 8 kHz by a {@link Downstream} and cut into 20 ms
 * frames. Buffers are allocated once per call.
 */
public final class ConvertingAudioPipeline implements AudioPipeline {
  /** 8 kHz PCM to the AI's input format. Called on the pacer thread only. */
  public interface Upstream {
    /** Writes the converted frame into {@code out} and returns its length in bytes. */
    int convert(short[] pcm8k, int samples, byte[] out);

    /** Largest output, in bytes, for {@code samples} input samples. */
    int maxBytesFor(int samples);
  }

  /** AI output to 8 kHz PCM. Called on the AI thread only. */
  public interface Downstream {
    /**
     * Decodes {@code length} bytes into 8 kHz samples written to {@code out} from index 0; returns how many.
     * Keeps any partial sample for the next call.
     */
    int convert(byte[] data, int offset, int length, short[] out);

    /** Largest output, in samples, for {@code length} input bytes. */
    int maxSamplesFor(int length);

    /** Forgets partial input and filter state (after an interruption). */
    void reset();
  }

  private final AudioFormat input;
  private final AudioFormat output;
  private final Upstream upstream;
  private final Downstream downstream;
  private final PlayoutQueue queue;
  private final byte[] upBuffer;           // pacer thread only
  private short[] downBuffer = new short[0]; // AI thread only
  private final short[] pending = new short[PlayoutQueue.FRAME_SAMPLES]; // AI thread only
  private int pendingCount;                 // AI thread only
  private long pendingEvent = Long.MIN_VALUE; // AI thread only

  public ConvertingAudioPipeline(AudioFormat input, AudioFormat output, Upstream upstream, Downstream downstream,
      int playoutCapacityMillis) {
    this.input = Objects.requireNonNull(input, "input");
    this.output = Objects.requireNonNull(output, "output");
    this.upstream = Objects.requireNonNull(upstream, "upstream");
    this.downstream = Objects.requireNonNull(downstream, "downstream");
    this.queue = new PlayoutQueue(playoutCapacityMillis);
    this.upBuffer = new byte[upstream.maxBytesFor(PlayoutQueue.FRAME_SAMPLES)];
  }

  @Override public AudioFormat aiInput() {
    return input;
  }

  @Override public AudioFormat aiOutput() {
    return output;
  }

  @Override public void fromCallee(short[] pcm8k, AudioSink sink) {
    int n = upstream.convert(pcm8k, PlayoutQueue.FRAME_SAMPLES, upBuffer);
    if (n > 0) sink.sendAudio(upBuffer, 0, n);
  }

  @Override public void fromAgent(byte[] data, int offset, int length, long eventId) {
    if (queue.isInterrupted(eventId)) return;
    if (eventId != pendingEvent) {
      // a new event starts on a frame boundary: flush the tail of the previous one padded with silence
      flushPending();
      pendingEvent = eventId;
    }
    int need = downstream.maxSamplesFor(length);
    if (downBuffer.length < need) downBuffer = new short[need];
    int samples = downstream.convert(data, offset, length, downBuffer);
    int i = 0;
    while (i < samples) {
      int take = Math.min(samples - i, PlayoutQueue.FRAME_SAMPLES - pendingCount);
      System.arraycopy(downBuffer, i, pending, pendingCount, take);
      pendingCount += take;
      i += take;
      if (pendingCount == PlayoutQueue.FRAME_SAMPLES) {
        queue.offer(pending, 0, eventId);
        pendingCount = 0;
      }
    }
  }

  private void flushPending() {
    if (pendingCount > 0) {
      java.util.Arrays.fill(pending, pendingCount, PlayoutQueue.FRAME_SAMPLES, (short) 0);
      queue.offer(pending, 0, pendingEvent);
      pendingCount = 0;
    }
  }

  @Override public boolean toCallee(short[] out) {
    return queue.poll(out);
  }

  @Override public void interrupt(long eventId) {
    queue.interrupt(eventId);
    if (pendingEvent <= eventId) {  // same thread as fromAgent: the partial frame belongs to the cut event
      pendingCount = 0;
      downstream.reset();
    }
  }

  @Override public int queuedMillis() {
    return queue.queuedMillis();
  }

  @Override public long droppedFrames() {
    return queue.droppedFrames();
  }

  @Override public void whenDrained(Runnable action) {
    queue.whenDrained(action);
  }

  @Override public String toString() {
    return "AudioPipeline[" + input + " up, " + output + " down]";
  }
}
