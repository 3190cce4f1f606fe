package io.voiceagent.core.service;

import java.util.function.Consumer;

/**
 * Callee audio from the answer until the AI session is ready, so the callee's "Hello?" reaches the agent.
 * A ring of 20 ms frames allocated once; when full the oldest frame is overwritten and counted.
 * Pacer thread only.
 */
final class AnswerBuffer {
  private static final int FRAME = 160;
  private final short[] ring;
  private final int capacityFrames;
  private int head;   // oldest frame
  private int size;
  private long dropped;

  AnswerBuffer(int capacityMillis) {
    this.capacityFrames = Math.max(1, capacityMillis / 20);
    this.ring = new short[capacityFrames * FRAME];
  }

  void add(short[] pcm) {
    int slot;
    if (size == capacityFrames) {
      slot = head;
      head = (head + 1) % capacityFrames;
      dropped++;
    } else {
      slot = (head + size) % capacityFrames;
      size++;
    }
    System.arraycopy(pcm, 0, ring, slot * FRAME, FRAME);
  }

  /** Hands every buffered frame, oldest first, to {@code sink} (one reused array), then empties. */
  void drainTo(Consumer<short[]> sink) {
    short[] frame = new short[FRAME];
    for (int i = 0; i < size; i++) {
      System.arraycopy(ring, ((head + i) % capacityFrames) * FRAME, frame, 0, FRAME);
      sink.accept(frame);
    }
    head = 0;
    size = 0;
  }

  /** Forgets every buffered frame. */
  void clear() {
    head = 0;
    size = 0;
  }

  int sizeFrames() {
    return size;
  }

  long droppedFrames() {
    return dropped;
  }
}
