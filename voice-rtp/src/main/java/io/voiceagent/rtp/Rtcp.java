package io.voiceagent.rtp;

import java.nio.charset.StandardCharsets;

/**
 * RTCP (RFC 3550 §6): building our compound packets (SR or RR, SDES CNAME, BYE) into a caller's buffer and
 * reading the far end's SR and RR. No allocation: results of {@link #parse} go into a reused {@link Report}.
 */
final class Rtcp {
  static final int SR = 200;
  static final int RR = 201;
  static final int SDES = 202;
  static final int BYE = 203;
  static final int CNAME = 1;
  /** IP + UDP headers, which RFC 3550 A.7 counts in the average RTCP size. */
  static final int UDP_IP_OVERHEAD = 28;

  /** Seconds from the NTP epoch (1900) to the Unix epoch (1970). */
  static final long NTP_UNIX_OFFSET_SECONDS = 2_208_988_800L;

  private Rtcp() {}

  /** 64-bit NTP time for a wall-clock instant given in nanoseconds since 1970. */
  static long ntp(long unixNanos) {
    long seconds = Math.floorDiv(unixNanos, 1_000_000_000L);
    long nanos = Math.floorMod(unixNanos, 1_000_000_000L);
    long fraction = (nanos << 32) / 1_000_000_000L;
    return ((seconds + NTP_UNIX_OFFSET_SECONDS) << 32) | fraction;
  }

  /** The middle 32 bits of an NTP time, as LSR and round-trip arithmetic use them (1/65536 s units). */
  static int ntpMiddle(long ntp) {
    return (int) (ntp >>> 16);
  }

  /** Converts a duration in nanoseconds to 1/65536 s units (DLSR). */
  static int toShortNtp(long nanos) {
    return (int) ((nanos << 16) / 1_000_000_000L);
  }

  /**
   * Writes an SR (when {@code senderInfo}) or RR header with {@code blocks} report blocks to follow.
   *
   * @return bytes written (28 for an SR or 8 for an RR, not counting the blocks)
   */
  static int writeReportHeader(byte[] b, int off, boolean senderInfo, int blocks, long ssrc, long ntp, int rtpTimestamp,
      long packetCount, long octetCount) {
    int words = (senderInfo ? 6 : 1) + 6 * blocks; // length field: 32-bit words minus one
    b[off] = (byte) (0x80 | blocks);
    b[off + 1] = (byte) (senderInfo ? SR : RR);
    b[off + 2] = (byte) (words >>> 8);
    b[off + 3] = (byte) words;
    RtpHeader.writeInt(b, off + 4, (int) ssrc);
    if (!senderInfo) return 8;
    RtpHeader.writeInt(b, off + 8, (int) (ntp >>> 32));
    RtpHeader.writeInt(b, off + 12, (int) ntp);
    RtpHeader.writeInt(b, off + 16, rtpTimestamp);
    RtpHeader.writeInt(b, off + 20, (int) packetCount);
    RtpHeader.writeInt(b, off + 24, (int) octetCount);
    return 28;
  }

  /** Writes SDES with one chunk holding CNAME; returns its length (a multiple of 4). */
  static int writeSdes(byte[] b, int off, long ssrc, byte[] cname) {
    int itemBytes = 2 + cname.length;
    int chunkBytes = 4 + itemBytes + 1;          // SSRC, CNAME item, END
    chunkBytes = (chunkBytes + 3) & ~3;          // pad with zero octets to a word
    int total = 4 + chunkBytes;
    int words = total / 4 - 1;
    b[off] = (byte) 0x81;
    b[off + 1] = (byte) SDES;
    b[off + 2] = (byte) (words >>> 8);
    b[off + 3] = (byte) words;
    RtpHeader.writeInt(b, off + 4, (int) ssrc);
    b[off + 8] = CNAME;
    b[off + 9] = (byte) cname.length;
    System.arraycopy(cname, 0, b, off + 10, cname.length);
    for (int i = off + 10 + cname.length; i < off + total; i++) b[i] = 0;
    return total;
  }

  /** Writes BYE for one SSRC; returns 8. */
  static int writeBye(byte[] b, int off, long ssrc) {
    b[off] = (byte) 0x81;
    b[off + 1] = (byte) BYE;
    b[off + 2] = 0;
    b[off + 3] = 1;
    RtpHeader.writeInt(b, off + 4, (int) ssrc);
    return 8;
  }

  static byte[] cnameBytes(String cname) {
    byte[] bytes = cname.getBytes(StandardCharsets.UTF_8);
    if (bytes.length > 255) throw new IllegalArgumentException("CNAME is " + bytes.length + " bytes, at most 255");
    return bytes;
  }

  /** What one compound packet told us; reused. */
  static final class Report {
    long senderSsrc;
    boolean hasSenderInfo;
    long senderNtp;
    boolean hasBlockForUs;
    int fractionLost;       // 0..255
    int cumulativeLost;     // signed 24 bits
    long extendedHighestSeq;
    long jitterUnits;
    int lsr;
    int dlsr;
    boolean bye;

    void clear() {
      senderSsrc = 0;
      hasSenderInfo = false;
      senderNtp = 0;
      hasBlockForUs = false;
      fractionLost = 0;
      cumulativeLost = 0;
      extendedHighestSeq = 0;
      jitterUnits = 0;
      lsr = 0;
      dlsr = 0;
      bye = false;
    }
  }

  /**
   * Validates a compound packet (RFC 3550 A.2: version 2, starts with SR or RR, lengths add up, padding only
   * on the last) and reads its SR/RR and BYE into {@code out}.
   *
   * @return true if well formed
   */
  static boolean parse(byte[] b, int off, int len, long ourSsrc, Report out) {
    out.clear();
    if (len < 8 || (len & 3) != 0) return false;
    int first = b[off + 1] & 0xFF;
    if (first != SR && first != RR) return false;
    int pos = 0;
    while (pos < len) {
      if (len - pos < 4) return false;
      int b0 = b[off + pos] & 0xFF;
      if ((b0 >>> 6) != 2) return false;
      int pt = b[off + pos + 1] & 0xFF;
      int bytes = (((b[off + pos + 2] & 0xFF) << 8 | (b[off + pos + 3] & 0xFF)) + 1) * 4;
      if (bytes > len - pos) return false;
      boolean padding = (b0 & 0x20) != 0;
      if (padding && pos + bytes != len) return false;
      int count = b0 & 0x1F;
      int p = off + pos;
      if (pt == SR || pt == RR) {
        int fixed = pt == SR ? 28 : 8;
        if (bytes < fixed + 24 * count) return false;
        if (pos == 0) out.senderSsrc = RtpHeader.readInt(b, p + 4) & 0xFFFF_FFFFL;
        if (pt == SR) {
          out.hasSenderInfo = true;
          out.senderNtp = ((long) RtpHeader.readInt(b, p + 8) << 32) | (RtpHeader.readInt(b, p + 12) & 0xFFFF_FFFFL);
        }
        for (int i = 0; i < count; i++) {
          int q = p + fixed + 24 * i;
          long ssrc = RtpHeader.readInt(b, q) & 0xFFFF_FFFFL;
          if (ssrc != ourSsrc) continue;
          int lossWord = RtpHeader.readInt(b, q + 4);
          out.hasBlockForUs = true;
          out.fractionLost = lossWord >>> 24;
          out.cumulativeLost = (lossWord << 8) >> 8; // sign-extend 24 bits
          out.extendedHighestSeq = RtpHeader.readInt(b, q + 8) & 0xFFFF_FFFFL;
          out.jitterUnits = RtpHeader.readInt(b, q + 12) & 0xFFFF_FFFFL;
          out.lsr = RtpHeader.readInt(b, q + 16);
          out.dlsr = RtpHeader.readInt(b, q + 20);
        }
      } else if (pt == BYE) {
        out.bye = true;
      }
      pos += bytes;
    }
    return true;
  }

  /**
   * RFC 3550 A.7 {@code rtcp_interval}: the deterministic interval times a random factor in [0.5, 1.5],
   * divided by e − 3/2 to compensate for timer reconsideration.
   *
   * @param rtcpBandwidthBytes 5 % of the session bandwidth, bytes per second
   * @param avgRtcpSize        average compound packet size including UDP and IP headers
   * @param random01           uniform in [0, 1)
   * @return seconds
   */
  static double intervalSeconds(int members, int senders, double rtcpBandwidthBytes, boolean weSent,
      double avgRtcpSize, boolean initial, double random01) {
    final double minTime = initial ? 2.5 : 5.0;
    final double compensation = Math.E - 1.5;
    double bw = rtcpBandwidthBytes;
    int n = members;
    if (senders <= members * 0.25) {
      if (weSent) {
        bw *= 0.25;
        n = senders;
      } else {
        bw *= 0.75;
        n -= senders;
      }
    }
    double t = avgRtcpSize * n / bw;
    if (t < minTime) t = minTime;
    t = t * (random01 + 0.5);
    return t / compensation;
  }
}
