package io.voiceagent.rtp;

/**
 * RFC 4733 telephone-event reception: one digit per (SSRC, timestamp, event).
 *
 * <p>A digit is reported on the first packet of its event that has a non-zero duration, so a lost start
 * packet still yields the digit from an update or from the end packets. Later updates and the three end
 * packets of the same event are recognised and ignored. An event ends with its E bit or, when the end
 * packets are all lost, after {@link #END_WITHOUT_E_NANOS} without a packet; a packet of an ended event
 * changes nothing.
 *
 * <p>Not thread-safe: the receive thread of the session only.
 */
final class DtmfReceiver {
  /** Events 0–15: 0–9, *, #, A–D. */
  static final String DIGITS = "0123456789*#ABCD";
  /** Updates come every ~50 ms; three missed intervals end an event whose end packets were lost. */
  static final long END_WITHOUT_E_NANOS = 150_000_000L;
  private static final int RECENT = 8;

  // recent events, newest at 'next - 1'; enough to recognise retransmitted end packets of earlier digits
  private final long[] recentSsrc = new long[RECENT];
  private final int[] recentTimestamp = new int[RECENT];
  private final int[] recentEvent = new int[RECENT];
  private final boolean[] recentEnded = new boolean[RECENT];
  private int count;
  private int next;
  private int active = -1;        // index of the event in progress, -1 if none
  private long activeLastNanos;

  private long malformed;
  private long unsupported;
  private long duplicates;
  private long digits;

  /**
   * Handles one telephone-event payload.
   *
   * @return the digit to report, or 0 when there is nothing new
   */
  char onPacket(long ssrc, int timestamp, byte[] buf, int off, int len, long nowNanos) {
    expire(nowNanos);
    if (len < 4) {
      malformed++;
      return 0;
    }
    int event = buf[off] & 0xFF;
    boolean end = (buf[off + 1] & 0x80) != 0;
    int duration = ((buf[off + 2] & 0xFF) << 8) | (buf[off + 3] & 0xFF);
    if (event >= DIGITS.length()) {
      unsupported++;
      return 0;
    }
    if (duration == 0) return 0; // RFC 4733 §2.5.2.2: no tone yet
    int seen = find(ssrc, timestamp, event);
    if (seen >= 0) {
      duplicates++;
      if (!recentEnded[seen]) {
        if (end) end(seen); else if (seen == active) activeLastNanos = nowNanos;
      }
      return 0;
    }
    int slot = next;
    recentSsrc[slot] = ssrc;
    recentTimestamp[slot] = timestamp;
    recentEvent[slot] = event;
    recentEnded[slot] = end;
    next = (next + 1) % RECENT;
    if (count < RECENT) count++;
    if (active >= 0 && active != slot) recentEnded[active] = true; // a new event ends the previous one
    active = end ? -1 : slot;
    activeLastNanos = nowNanos;
    digits++;
    return DIGITS.charAt(event);
  }

  /** Whether an event is in progress (its E bit not seen and not timed out). */
  boolean inProgress(long nowNanos) {
    expire(nowNanos);
    return active >= 0;
  }

  private void expire(long nowNanos) {
    if (active >= 0 && nowNanos - activeLastNanos > END_WITHOUT_E_NANOS) end(active);
  }

  private void end(int slot) {
    recentEnded[slot] = true;
    if (active == slot) active = -1;
  }

  private int find(long ssrc, int timestamp, int event) {
    for (int i = 0; i < count; i++) {
      if (recentTimestamp[i] == timestamp && recentSsrc[i] == ssrc && recentEvent[i] == event) return i;
    }
    return -1;
  }

  long malformed() {
    return malformed;
  }

  long unsupported() {
    return unsupported;
  }

  long duplicates() {
    return duplicates;
  }

  long digits() {
    return digits;
  }

  static int eventFor(char digit) {
    int e = DIGITS.indexOf(Character.toUpperCase(digit));
    if (e < 0) {
      throw new IllegalArgumentException("DTMF digit '" + digit + "' is not one of 0-9, *, #, A-D");
    }
    return e;
  }
}
