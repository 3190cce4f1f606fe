package io.voiceagent.rtp;

import java.net.InetSocketAddress;

/**
 * Which source address media is accepted from (and so where ours goes), guarding against RTP bleed
 * (media.md §4):
 * <ol>
 *   <li>media is accepted from the SDP address;</li>
 *   <li>another source is learnt only within the learning window after {@link #reset} and only after
 *       {@link #PROBATION} consecutive in-sequence packets with one SSRC (and a negotiated payload type,
 *       checked before); the probation packets themselves are dropped;</li>
 *   <li>then the latch locks: other sources are dropped until the next renegotiation. Valid media from the
 *       SDP address itself locks it at once, so nobody can take over a call whose far end already
 *       speaks from where it said it would. Strict mode never learns.</li>
 * </ol>
 * Up to {@link #CANDIDATES} would-be sources are tracked at once, so a sprayer cannot keep resetting the
 * probation of a genuine NATed far end by interleaving its packets.
 *
 * <p>Not thread-safe: the session's receive thread only.
 */
final class SourceLatch {
  static final int PROBATION = 4;
  static final int CANDIDATES = 4;

  enum Decision { ACCEPT, LEARNT, PROBATION, REJECT }

  private InetSocketAddress sdp;
  private InetSocketAddress accepted;
  private boolean locked;
  private long windowEndsNanos;
  private boolean strict;

  private final InetSocketAddress[] candidate = new InetSocketAddress[CANDIDATES];
  private final long[] candidateSsrc = new long[CANDIDATES];
  private final int[] candidateSeq = new int[CANDIDATES];
  private final int[] candidateCount = new int[CANDIDATES];
  private final long[] candidateLastNanos = new long[CANDIDATES];

  /** Starts learning afresh for a (re)negotiated SDP address. */
  void reset(InetSocketAddress sdpAddress, long nowNanos, long windowNanos, boolean strictMode) {
    sdp = sdpAddress;
    accepted = sdpAddress;
    strict = strictMode;
    locked = strictMode || windowNanos <= 0;
    windowEndsNanos = nowNanos + windowNanos;
    clearCandidates();
  }

  /**
   * Keeps the current latch for a renegotiation that names the same address; if nothing was learnt or
   * confirmed yet (no media so far), gives it a fresh window, since the far end may start only now.
   */
  void renew(long nowNanos, long windowNanos) {
    if (!locked) windowEndsNanos = nowNanos + windowNanos;
  }

  Decision check(InetSocketAddress source, long ssrc, int seq, long nowNanos) {
    if (source.equals(accepted)) {
      if (!locked && accepted == sdp) {
        locked = true;
        clearCandidates();
      }
      return Decision.ACCEPT;
    }
    if (locked || strict) return Decision.REJECT;
    if (nowNanos - windowEndsNanos >= 0) {
      locked = true;
      clearCandidates();
      return Decision.REJECT;
    }
    int i = findCandidate(source);
    if (i >= 0 && candidateSsrc[i] == ssrc && seq == ((candidateSeq[i] + 1) & 0xFFFF)) {
      candidateCount[i]++;
    } else {
      if (i < 0) i = oldestCandidate();
      candidate[i] = source;
      candidateSsrc[i] = ssrc;
      candidateCount[i] = 1;
    }
    candidateSeq[i] = seq;
    candidateLastNanos[i] = nowNanos;
    if (candidateCount[i] >= PROBATION) {
      accepted = source;
      locked = true;
      clearCandidates();
      return Decision.LEARNT;
    }
    return Decision.PROBATION;
  }

  InetSocketAddress accepted() {
    return accepted;
  }

  boolean learnt() {
    return accepted != sdp;
  }

  boolean locked() {
    return locked;
  }

  private int findCandidate(InetSocketAddress source) {
    for (int i = 0; i < CANDIDATES; i++) {
      if (candidate[i] != null && candidate[i].equals(source)) return i;
    }
    return -1;
  }

  private int oldestCandidate() {
    int oldest = 0;
    for (int i = 0; i < CANDIDATES; i++) {
      if (candidate[i] == null) return i;
      if (candidateLastNanos[i] - candidateLastNanos[oldest] < 0) oldest = i;
    }
    return oldest;
  }

  private void clearCandidates() {
    for (int i = 0; i < CANDIDATES; i++) {
      candidate[i] = null;
      candidateCount[i] = 0;
    }
  }
}
