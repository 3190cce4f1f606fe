package io.voiceagent.rtp;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Received audio packets on their way from the receive thread to the pacer: a bounded single-producer,
 * single-consumer ring of preallocated slots, so the hand-off neither locks nor allocates. When it is full
 * the packet is dropped and counted by the caller.
 */
final class RxRing {
  /** Largest payload kept: 60 ms of G.711 (senders may use 10–30 ms, media.md §3). */
  static final int MAX_PAYLOAD = 480;

  private static final VarHandle HEAD;
  private static final VarHandle TAIL;

  static {
    try {
      MethodHandles.Lookup l = MethodHandles.lookup();
      HEAD = l.findVarHandle(RxRing.class, "head", long.class);
      TAIL = l.findVarHandle(RxRing.class, "tail", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final int mask;
  private final byte[][] payload;
  private final int[] length;
  private final int[] sequence;
  private final int[] timestamp;
  private final long[] ssrc;
  private final boolean[] marker;
  private final long[] arrivalNanos;
  @SuppressWarnings("unused") private volatile long head; // next slot to read; written by the consumer
  @SuppressWarnings("unused") private volatile long tail; // next slot to write; written by the producer

  RxRing(int capacity) {
    if (Integer.bitCount(capacity) != 1) throw new IllegalArgumentException("capacity " + capacity + " is not a power of 2");
    mask = capacity - 1;
    payload = new byte[capacity][MAX_PAYLOAD];
    length = new int[capacity];
    sequence = new int[capacity];
    timestamp = new int[capacity];
    ssrc = new long[capacity];
    marker = new boolean[capacity];
    arrivalNanos = new long[capacity];
  }

  /** Producer: copies one packet in; false when full. */
  boolean offer(int seq, int ts, long packetSsrc, boolean m, byte[] buf, int off, int len, long arrival) {
    long t = (long) TAIL.getOpaque(this);
    if (t - (long) HEAD.getAcquire(this) > mask) return false;
    int i = (int) t & mask;
    System.arraycopy(buf, off, payload[i], 0, len);
    length[i] = len;
    sequence[i] = seq;
    timestamp[i] = ts;
    ssrc[i] = packetSsrc;
    marker[i] = m;
    arrivalNanos[i] = arrival;
    TAIL.setRelease(this, t + 1);
    return true;
  }

  /** Consumer: hands each queued packet to {@code sink}, then frees the slots. Returns how many. */
  int drain(Sink sink) {
    long h = (long) HEAD.getOpaque(this);
    long t = (long) TAIL.getAcquire(this);
    int n = 0;
    for (; h < t; h++, n++) {
      int i = (int) h & mask;
      sink.packet(sequence[i], timestamp[i], ssrc[i], marker[i], payload[i], length[i], arrivalNanos[i]);
    }
    HEAD.setRelease(this, h);
    return n;
  }

  /** Consumer: forgets everything queued. */
  void clear() {
    HEAD.setRelease(this, (long) TAIL.getAcquire(this));
  }

  int capacity() {
    return mask + 1;
  }

  /** Where drained packets go; called on the consumer thread. */
  interface Sink {
    void packet(int seq, int ts, long ssrc, boolean marker, byte[] payload, int length, long arrivalNanos);
  }
}
