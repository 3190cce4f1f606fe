package io.voiceagent.rtp;

/**
 * Reception statistics of the far end's RTP source, as RFC 3550 Appendix A computes them: sequence
 * validation and extended sequence numbers (A.1), loss for the report blocks (A.3) and interarrival jitter
 * (A.8). When the far end changes SSRC or restarts its sequence, the old source's counts are kept in the
 * totals and the new source starts its own probation.
 *
 * <p>Duplicates and reordered packets are told apart with a 128-packet window behind the highest sequence
 * number; both still count as received, as A.3 wants (so loss can go negative with duplicates).
 *
 * <p>Not thread-safe: the session guards it with its receive lock.
 */
final class ReceptionStats {
  static final int RTP_SEQ_MOD = 1 << 16;
  static final int MAX_DROPOUT = 3000;
  static final int MAX_MISORDER = 100;
  static final int MIN_SEQUENTIAL = 2;

  private boolean haveSource;
  private long ssrc;
  private int maxSeq;          // highest sequence number seen
  private long cycles;         // shifted count of sequence number wraps
  private int baseSeq;
  private int badSeq;          // last 'bad' sequence number + 1
  private int probation;       // packets until the source is valid
  private long received;
  private long expectedPrior;
  private long receivedPrior;
  private int transit;
  private boolean haveTransit;
  private int jitter;          // A.8, scaled by 16
  private long window0;        // bit i: maxSeq - i received (0..63)
  private long window1;        // bit i: maxSeq - 64 - i received

  // earlier sources (SSRC change or restart)
  private long retiredExpected;
  private long retiredReceived;

  private long duplicates;
  private long reordered;
  private long probationDrops;
  private long sourceChanges;

  /**
   * Updates with one packet's sequence number (A.1 {@code update_seq}).
   *
   * @return true when the packet is valid and belongs in the audio; false during probation and for a jump
   *         that has not been confirmed by the next packet
   */
  boolean update(long packetSsrc, int seq) {
    if (!haveSource || packetSsrc != ssrc) {
      if (haveSource) {
        retire();
        sourceChanges++;
      }
      haveSource = true;
      ssrc = packetSsrc;
      initSeq(seq);
      maxSeq = (seq - 1) & 0xFFFF;
      probation = MIN_SEQUENTIAL;
      haveTransit = false;
      jitter = 0;
    }
    int udelta = (seq - maxSeq) & 0xFFFF;
    if (probation > 0) {
      if (seq == ((maxSeq + 1) & 0xFFFF)) {
        probation--;
        maxSeq = seq;
        if (probation == 0) {
          initSeq(seq);
          received++;
          return true;
        }
      } else {
        probation = MIN_SEQUENTIAL - 1;
        maxSeq = seq;
      }
      probationDrops++;
      return false;
    } else if (udelta < MAX_DROPOUT) {
      if (udelta == 0) {
        duplicates++;
      } else {
        if (seq < maxSeq) cycles += RTP_SEQ_MOD;
        shiftWindow(udelta);
        maxSeq = seq;
      }
      window0 |= 1L;
    } else if (udelta <= RTP_SEQ_MOD - MAX_MISORDER) {
      if (seq == badSeq) {
        // two sequential packets after a big jump: the far end restarted, so resync
        retire();
        sourceChanges++;
        initSeq(seq);
      } else {
        badSeq = (seq + 1) & (RTP_SEQ_MOD - 1);
        probationDrops++;
        return false;
      }
    } else {
      int back = RTP_SEQ_MOD - udelta; // 1..MAX_MISORDER behind the highest
      if (markBehind(back)) duplicates++; else reordered++;
    }
    received++;
    return true;
  }

  /** A.8: {@code arrival} in timestamp units (8 kHz), {@code rtpTimestamp} from the packet. */
  void updateJitter(int arrival, int rtpTimestamp) {
    int t = arrival - rtpTimestamp;
    if (haveTransit) {
      int d = t - transit;
      if (d < 0) d = -d;
      jitter += d - ((jitter + 8) >> 4);
    }
    transit = t;
    haveTransit = true;
  }

  boolean hasSource() {
    return haveSource && probation == 0;
  }

  long ssrc() {
    return ssrc;
  }

  /** Cumulative packets received from every source (A.3 {@code received}, summed). */
  long received() {
    return retiredReceived + (hasSource() ? received : 0);
  }

  long extendedHighestSeq() {
    return cycles + maxSeq;
  }

  private long expected() {
    return hasSource() ? extendedHighestSeq() - baseSeq + 1 : 0;
  }

  /** Cumulative loss, A.3 (negative with duplicates), over every source. */
  long cumulativeLost() {
    return (retiredExpected + expected()) - received();
  }

  /** A.8 jitter as reported in RTCP (timestamp units). */
  int jitterUnits() {
    return jitter >> 4;
  }

  /** Jitter in milliseconds at 8 kHz. */
  double jitterMillis() {
    return jitter / 16.0 / 8.0;
  }

  long duplicates() {
    return duplicates;
  }

  long reordered() {
    return reordered;
  }

  long probationDrops() {
    return probationDrops;
  }

  long sourceChanges() {
    return sourceChanges;
  }

  /**
   * Writes a 24-byte report block for the current source (A.3) and starts the next interval.
   *
   * @param lsr  middle 32 bits of the last SR's NTP time, 0 if none
   * @param dlsr delay since that SR in 1/65536 s, 0 if none
   */
  void writeReportBlock(byte[] b, int off, int lsr, int dlsr) {
    long expected = extendedHighestSeq() - baseSeq + 1;
    long lost = expected - received;
    if (lost > 0x7FFFFF) lost = 0x7FFFFF;
    if (lost < -0x800000) lost = -0x800000;
    long expectedInterval = expected - expectedPrior;
    expectedPrior = expected;
    long receivedInterval = received - receivedPrior;
    receivedPrior = received;
    long lostInterval = expectedInterval - receivedInterval;
    int fraction = expectedInterval == 0 || lostInterval <= 0 ? 0 : (int) ((lostInterval << 8) / expectedInterval);
    if (fraction > 255) fraction = 255;
    RtpHeader.writeInt(b, off, (int) ssrc);
    RtpHeader.writeInt(b, off + 4, (fraction << 24) | ((int) lost & 0xFFFFFF));
    RtpHeader.writeInt(b, off + 8, (int) extendedHighestSeq());
    RtpHeader.writeInt(b, off + 12, jitterUnits());
    RtpHeader.writeInt(b, off + 16, lsr);
    RtpHeader.writeInt(b, off + 20, dlsr);
  }

  private void initSeq(int seq) {
    baseSeq = seq;
    maxSeq = seq;
    badSeq = RTP_SEQ_MOD + 1; // so seq == badSeq is false
    cycles = 0;
    received = 0;
    receivedPrior = 0;
    expectedPrior = 0;
    window0 = 1L;
    window1 = 0;
  }

  private void retire() {
    if (probation == 0) {
      retiredExpected += extendedHighestSeq() - baseSeq + 1;
      retiredReceived += received;
    }
    received = 0;
  }

  private void shiftWindow(int n) {
    if (n >= 128) {
      window0 = 0;
      window1 = 0;
    } else if (n >= 64) {
      window1 = window0 << (n - 64);
      window0 = 0;
    } else {
      window1 = (window1 << n) | (window0 >>> (64 - n));
      window0 <<= n;
    }
  }

  /** Marks {@code maxSeq - back} received; true if it already was. */
  private boolean markBehind(int back) {
    if (back < 64) {
      long bit = 1L << back;
      boolean seen = (window0 & bit) != 0;
      window0 |= bit;
      return seen;
    }
    if (back < 128) {
      long bit = 1L << (back - 64);
      boolean seen = (window1 & bit) != 0;
      window1 |= bit;
      return seen;
    }
    return false;
  }
}
