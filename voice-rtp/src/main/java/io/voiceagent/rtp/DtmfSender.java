package io.voiceagent.rtp;

/**
 * RFC 4733 telephone-event sending, one 20 ms tick at a time.
 *
 * <p>A digit is a {@link #TONE_TICKS}-tick (100 ms) event: every packet carries the event's start
 * timestamp; the first has M = 1; an update with the grown duration follows every {@link #UPDATE_TICKS}
 * ticks (~50 ms, media.md §2); the last has E = 1 with the full duration and is sent three times, identical.
 * Audio pauses for the event; {@link #GAP_TICKS} ticks (60 ms ≥ 50 ms) of audio separate digits.
 *
 * <p>Threads: {@link #enqueue} from any thread (a short lock on the pending digits); {@link #tick} on the
 * pacer thread only.
 */
final class DtmfSender {
  static final int TONE_TICKS = 5;
  static final int UPDATE_TICKS = 2;
  static final int GAP_TICKS = 3;
  static final int SAMPLES_PER_TICK = 160;
  static final int VOLUME = 10; // −10 dBm0
  static final int END_REPEATS = 3;
  static final int MAX_PENDING = 64;

  /** What {@link #tick} asks the caller to send this tick. */
  static final int SEND_AUDIO = 0;
  static final int SEND_EVENT = 1;
  static final int SEND_NOTHING = 2;
  static final int SEND_EVENT_END = 3;

  private final char[] pending = new char[MAX_PENDING]; // guarded by this
  private int head;                                   // guarded by this
  private int size;                                   // guarded by this

  // pacer thread only
  private int event = -1;       // event in progress, -1 when none
  private int eventTick;        // ticks since the event started
  private int eventTimestamp;
  private int gapLeft;
  private long sent;

  /**
   * Queues digits after validating all of them (nothing is queued if one is bad).
   *
   * @throws IllegalArgumentException naming the bad digit, or when the queue would overflow
   */
  void enqueue(String digits) {
    for (int i = 0; i < digits.length(); i++) DtmfReceiver.eventFor(digits.charAt(i));
    synchronized (this) {
      if (size + digits.length() > MAX_PENDING) {
        throw new IllegalArgumentException("DTMF queue holds " + size + " digits; " + digits.length()
            + " more would exceed " + MAX_PENDING);
      }
      for (int i = 0; i < digits.length(); i++) {
        pending[(head + size) % MAX_PENDING] = Character.toUpperCase(digits.charAt(i));
        size++;
      }
    }
  }

  synchronized int pending() {
    return size;
  }

  /** Forgets queued digits (the far end no longer takes telephone-events); returns how many. */
  synchronized int clear() {
    int n = size;
    size = 0;
    return n;
  }

  /**
   * Advances one tick.
   *
   * @param timestamp the RTP timestamp of this tick
   * @return what to send: audio, an event packet ({@link #write} it), the final event packet three times,
   *         or nothing (audio paused between updates)
   */
  int tick(int timestamp) {
    if (event < 0) {
      if (gapLeft > 0) {
        gapLeft--;
        return SEND_AUDIO;
      }
      char next;
      synchronized (this) {
        if (size == 0) return SEND_AUDIO;
        next = pending[head];
        head = (head + 1) % MAX_PENDING;
        size--;
      }
      event = DtmfReceiver.eventFor(next);
      eventTick = 0;
      eventTimestamp = timestamp;
      return SEND_EVENT;
    }
    eventTick++;
    if (eventTick == TONE_TICKS - 1) return SEND_EVENT_END;
    return eventTick % UPDATE_TICKS == 0 ? SEND_EVENT : SEND_NOTHING;
  }

  /** After {@link #SEND_EVENT_END} was sent: the event is over, audio resumes after the gap. */
  void finishEvent() {
    event = -1;
    gapLeft = GAP_TICKS;
    sent++;
  }

  boolean firstPacketOfEvent() {
    return eventTick == 0;
  }

  int eventTimestamp() {
    return eventTimestamp;
  }

  boolean inEvent() {
    return event >= 0;
  }

  long digitsSent() {
    return sent;
  }

  /** Writes the 4-byte payload for the current tick; returns 4. */
  int write(byte[] b, int off, boolean end) {
    int duration = (eventTick + 1) * SAMPLES_PER_TICK;
    b[off] = (byte) event;
    b[off + 1] = (byte) ((end ? 0x80 : 0) | VOLUME);
    b[off + 2] = (byte) (duration >>> 8);
    b[off + 3] = (byte) duration;
    return 4;
  }
}
