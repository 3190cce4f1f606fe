package io.voiceagent.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RtcpTest {
  private static final long OURS = 0x11111111L;
  private static final long THEIRS = 0x22222222L;

  @Test void givenSenderReportWithBlockSdesAndBye_whenParsed_thenEveryFieldIsRead() {
    byte[] b = new byte[256];
    long ntp = Rtcp.ntp(1_700_000_000_123_456_789L);
    int pos = Rtcp.writeReportHeader(b, 0, true, 1, THEIRS, ntp, 0xCAFEBABE, 1000, 160_000);
    ReceptionStats stats = new ReceptionStats();
    for (int seq = 0; seq < 10; seq++) if (seq != 5) stats.update(OURS, seq);
    stats.writeReportBlock(b, pos, 0x01020304, 0x00008000);
    pos += 24;
    pos += Rtcp.writeSdes(b, pos, THEIRS, Rtcp.cnameBytes("peer@example"));
    pos += Rtcp.writeBye(b, pos, THEIRS);
    assertEquals(0, pos % 4);

    Rtcp.Report r = new Rtcp.Report();
    assertTrue(Rtcp.parse(b, 0, pos, OURS, r));
    assertEquals(THEIRS, r.senderSsrc);
    assertTrue(r.hasSenderInfo);
    assertEquals(ntp, r.senderNtp);
    assertTrue(r.hasBlockForUs);
    assertEquals(1, r.cumulativeLost);
    assertEquals(256 / 9, r.fractionLost); // 1 of 9 expected (1..9; 0 was the probation packet)
    assertEquals(9, r.extendedHighestSeq);
    assertEquals(0x01020304, r.lsr);
    assertEquals(0x00008000, r.dlsr);
    assertTrue(r.bye);
  }

  @Test void givenBlockAboutSomeoneElse_whenParsed_thenNotTakenForUs() {
    byte[] b = new byte[64];
    int pos = Rtcp.writeReportHeader(b, 0, false, 1, THEIRS, 0, 0, 0, 0);
    RtpHeader.writeInt(b, pos, 0x33333333);
    pos += 24;
    Rtcp.Report r = new Rtcp.Report();
    assertTrue(Rtcp.parse(b, 0, pos, OURS, r));
    assertFalse(r.hasBlockForUs);
  }

  @Test void givenMalformedCompounds_whenParsed_thenRejected() {
    Rtcp.Report r = new Rtcp.Report();
    byte[] b = new byte[64];
    int pos = Rtcp.writeSdes(b, 0, THEIRS, "x".getBytes(StandardCharsets.US_ASCII));
    assertFalse(Rtcp.parse(b, 0, pos, OURS, r), "must start with SR or RR");
    pos = Rtcp.writeReportHeader(b, 0, false, 0, THEIRS, 0, 0, 0, 0);
    b[0] = (byte) 0x40;
    assertFalse(Rtcp.parse(b, 0, pos, OURS, r), "version 1");
    pos = Rtcp.writeReportHeader(b, 0, false, 2, THEIRS, 0, 0, 0, 0);
    assertFalse(Rtcp.parse(b, 0, pos, OURS, r), "length claims two blocks that are not there");
    pos = Rtcp.writeReportHeader(b, 0, false, 0, THEIRS, 0, 0, 0, 0);
    b[3] = 9;
    assertFalse(Rtcp.parse(b, 0, pos, OURS, r), "length beyond the datagram");
    assertFalse(Rtcp.parse(b, 0, 6, OURS, r), "not a multiple of 4");
  }

  @Test void givenNtpTime_whenConverted_thenMiddleBitsAndShortUnitsMatchRfc() {
    long ntp = Rtcp.ntp(0); // 1970-01-01 is 2208988800 s after the NTP epoch
    assertEquals(2_208_988_800L, ntp >>> 32);
    assertEquals(0, (int) ntp);
    long half = Rtcp.ntp(500_000_000L);
    assertEquals(0x8000_0000L, half & 0xFFFF_FFFFL);
    assertEquals((int) ((2_208_988_800L & 0xFFFF) << 16 | 0x8000), Rtcp.ntpMiddle(half));
    assertEquals(65536, Rtcp.toShortNtp(1_000_000_000L));
  }

  @Test void givenTwoPartyCall_whenIntervalComputed_thenFiveSecondMinimumRandomisedAndCompensated() {
    double lo = Rtcp.intervalSeconds(2, 2, DefaultRtpSession.RTCP_BANDWIDTH_BYTES, true, 100, false, 0.0);
    double hi = Rtcp.intervalSeconds(2, 2, DefaultRtpSession.RTCP_BANDWIDTH_BYTES, true, 100, false, 0.999999);
    double compensation = Math.E - 1.5;
    assertEquals(5 * 0.5 / compensation, lo, 1e-9);
    assertEquals(5 * 1.5 / compensation, hi, 1e-4);
    double first = Rtcp.intervalSeconds(1, 1, DefaultRtpSession.RTCP_BANDWIDTH_BYTES, true, 100, true, 0.5);
    assertEquals(2.5 / compensation, first, 1e-9);
  }

  @Test void givenLargeGroup_whenIntervalComputed_thenBandwidthShareWins() {
    // 100 receivers and 1 sender at 500 B/s: receivers share 75 %: 100 * 100 B / 375 B/s ≈ 26.7 s
    double t = Rtcp.intervalSeconds(101, 1, 500, false, 100, false, 0.5);
    assertEquals(100 * 100 / 375.0 / (Math.E - 1.5), t, 1e-6);
  }
}
