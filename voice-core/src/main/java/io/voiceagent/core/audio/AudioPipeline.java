package io.voiceagent.core.audio;


/**
 * Everything between a call's media stream (8 kHz PCM, 20 ms frames) and its AI session, both ways:
 * format conversion (G.711, resampling), the bounded agent playout queue, and flushing on interruption.
 *
 * <p>Threads: {@link #fromCallee} and {@link #toCallee} run on the media pacer thread; {@link #fromAgent}
 * and {@link #interrupt} on the AI provider's thread. None of them blocks; steady state allocates nothing.
 */
public interface AudioPipeline {
  AudioFormat aiInput();

  AudioFormat aiOutput();

  /** Converts one 20 ms frame of 8 kHz callee PCM into the AI's input format and hands it to {@code sink}. */
  void fromCallee(short[] pcm8k, AudioSink sink);

  /**
   * Decodes agent audio (any length, in the AI's output format) into 20 ms frames on the playout queue.
   * Audio of an interrupted event ({@code eventId} at or below the last interruption) is ignored. When the
   * queue is full the oldest frames are dropped and counted.
   */
  void fromAgent(byte[] data, int offset, int length, long eventId);

  /** The next 20 ms of agent audio at 8 kHz into {@code out}; false if there is none (play silence). */
  boolean toCallee(short[] out);

  /** Drops every queued frame with an event id at or below {@code eventId}; effective at the next tick. */
  void interrupt(long eventId);

  /** Agent audio queued for playout, in milliseconds. */
  int queuedMillis();

  /** Agent frames dropped because the playout queue was full. */
  long droppedFrames();

  /**
   * Runs {@code action} once, as soon as the playout queue is empty: at once if it is empty now, else on
   * the pacer thread after the last queued frame was played. The action must be quick.
   */
  void whenDrained(Runnable action);
}
