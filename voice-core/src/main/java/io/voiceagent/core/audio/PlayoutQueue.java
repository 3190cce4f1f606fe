package io.voiceagent.core.audio;

import java.util.ArrayDeque;

/**
 * The agent's audio waiting to be played to the callee: 20 ms frames of 8 kHz PCM, each tagged with the
 * AI event it belongs to. Bounded: when full the oldest frame is dropped and counted. Frames are pooled, so
 * a warmed-up queue allocates nothing.
 *
 * <p>Thread-safe: one producer (the AI thread) and one consumer (the pacer) meet under a short lock that is
 * never held while calling out.
 */
public final class PlayoutQueue {
  public static final int FRAME_SAMPLES = 160;

  private static final class Frame {
    final short[] pcm = new short[FRAME_SAMPLES];
    long eventId;
  }

  private final int capacityFrames;
  private final ArrayDeque<Frame> queued = new ArrayDeque<>();
  private final ArrayDeque<Frame> free = new ArrayDeque<>();
  private long dropped;
  private long interruptedUpTo = Long.MIN_VALUE;
  private Runnable onDrained;

  /** @param capacityMillis how much agent audio may wait; 60 s by default */
  public PlayoutQueue(int capacityMillis) {
    if (capacityMillis < 20) throw new IllegalArgumentException("capacityMillis is " + capacityMillis + ", expected ≥ 20");
    this.capacityFrames = capacityMillis / 20;
  }

  /** Whether audio of {@code eventId} has been interrupted and must be ignored. */
  public synchronized boolean isInterrupted(long eventId) {
    return eventId <= interruptedUpTo;
  }

  /** Queues one frame ({@code samples[offset..offset+160)}) of event {@code eventId}. */
  public synchronized void offer(short[] samples, int offset, long eventId) {
    if (eventId <= interruptedUpTo) return;
    Frame f;
    if (queued.size() >= capacityFrames) {
      f = queued.pollFirst();
      dropped++;
    } else {
      f = free.pollFirst();
      if (f == null) f = new Frame();
    }
    System.arraycopy(samples, offset, f.pcm, 0, FRAME_SAMPLES);
    f.eventId = eventId;
    queued.addLast(f);
  }

  /** The next frame into {@code out}; false when empty (and then runs a pending drain action). */
  public boolean poll(short[] out) {
    Runnable action = null;
    synchronized (this) {
      Frame f = queued.pollFirst();
      if (f != null) {
        System.arraycopy(f.pcm, 0, out, 0, FRAME_SAMPLES);
        free.addLast(f);
        return true;
      }
      if (onDrained != null) {
        action = onDrained;
        onDrained = null;
      }
    }
    if (action != null) action.run();
    return false;
  }

  /** Drops queued frames of events up to {@code eventId} and ignores their late audio. */
  public synchronized void interrupt(long eventId) {
    interruptedUpTo = Math.max(interruptedUpTo, eventId);
    queued.removeIf(f -> {
      if (f.eventId <= eventId) {
        free.addLast(f);
        return true;
      }
      return false;
    });
  }

  public void whenDrained(Runnable action) {
    boolean now;
    synchronized (this) {
      now = queued.isEmpty();
      if (!now) onDrained = action;
    }
    if (now) action.run();
  }

  public synchronized int queuedMillis() {
    return queued.size() * 20;
  }

  public synchronized long droppedFrames() {
    return dropped;
  }
}
