package io.voiceagent.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ReceptionStatsTest {
  private final ReceptionStats s = new ReceptionStats();

  private int feed(long ssrc, int... seqs) {
    int valid = 0;
    for (int seq : seqs) if (s.update(ssrc, seq & 0xFFFF)) valid++;
    return valid;
  }

  @Test void givenNewSource_whenFirstPacketArrives_thenItWaitsForProbation() {
    assertFalse(s.update(1, 100));
    assertFalse(s.hasSource());
    assertTrue(s.update(1, 101));
    assertTrue(s.hasSource());
    assertEquals(1, s.received());
    assertEquals(0, s.cumulativeLost());
  }

  @Test void givenGaps_whenCounted_thenLossIsExpectedMinusReceived() {
    feed(1, 100, 101, 102, 105, 106, 110);
    // base 101 .. max 110 → expected 10, received 5 (101, 102, 105, 106, 110)
    assertEquals(5, s.received());
    assertEquals(5, s.cumulativeLost());
    assertEquals(110, s.extendedHighestSeq());
  }

  @Test void givenSequenceWrap_whenCounted_thenExtendedSequenceKeepsGrowing() {
    feed(1, 65533, 65534, 65535, 0, 1, 2);
    assertEquals(65536 + 2, s.extendedHighestSeq());
    assertEquals(0, s.cumulativeLost());
    assertEquals(5, s.received());
  }

  @Test void givenDuplicatesAndReordering_whenCounted_thenToldApartAndLossGoesNegativeWithDuplicates() {
    feed(1, 10, 11, 13, 12, 12, 14, 14);
    assertEquals(1, s.reordered());
    assertEquals(2, s.duplicates());
    // expected 11..14 = 4, received 6 (11, 13, 12, 12, 14, 14)
    assertEquals(-2, s.cumulativeLost());
  }

  @Test void givenBigJump_whenNextPacketFollowsIt_thenPeerRestartedAndStatsResync() {
    feed(1, 10, 11, 12);
    assertFalse(s.update(1, 20000), "a lone jump is discarded");
    assertTrue(s.update(1, 20001), "the next in sequence confirms the restart");
    assertTrue(s.update(1, 20002));
    assertEquals(0, s.cumulativeLost());
    assertEquals(4, s.received());
    assertEquals(1, s.sourceChanges());
  }

  @Test void givenBigJumpNotFollowed_whenCounted_thenStrayIsDiscarded() {
    feed(1, 10, 11, 12);
    assertFalse(s.update(1, 40000));
    assertTrue(s.update(1, 13));
    assertEquals(0, s.cumulativeLost());
    assertEquals(3, s.received());
  }

  @Test void givenSsrcChange_whenNewSourcePassesProbation_thenTotalsKeepTheOldSource() {
    feed(1, 10, 11, 12, 14); // lost 13
    feed(2, 500, 501, 502);
    assertEquals(3 + 2, s.received());
    assertEquals(1, s.cumulativeLost());
    assertEquals(2, s.ssrc());
  }

  @Test void givenIntervalLoss_whenReportBlockWritten_thenFractionAndCumulativeLossFollowA3() {
    feed(1, 0, 1, 2, 3, 5, 6, 7, 8); // base 1, max 8: expected 8, received 7, lost 1
    byte[] b = new byte[24];
    s.writeReportBlock(b, 0, 0x11223344, 0x00010000);
    assertEquals(1, RtpHeader.readInt(b, 0));
    int lossWord = RtpHeader.readInt(b, 4);
    assertEquals(256 * 1 / 8, lossWord >>> 24);
    assertEquals(1, lossWord & 0xFFFFFF);
    assertEquals(8, RtpHeader.readInt(b, 8));
    assertEquals(0x11223344, RtpHeader.readInt(b, 16));
    assertEquals(0x00010000, RtpHeader.readInt(b, 20));
    feed(1, 9, 10);
    s.writeReportBlock(b, 0, 0, 0);
    assertEquals(0, RtpHeader.readInt(b, 4) >>> 24, "no loss in the second interval");
    assertEquals(1, RtpHeader.readInt(b, 4) & 0xFFFFFF, "cumulative stays");
  }

  @Test void givenTransitVariation_whenJitterUpdated_thenFollowsA8() {
    // arrival - timestamp alternates by 80 units (10 ms): J converges to 80
    int ts = 0;
    int arrival = 1000;
    for (int i = 0; i < 2000; i++) {
      s.updateJitter(arrival + (i % 2 == 0 ? 0 : 80), ts);
      ts += 160;
      arrival += 160;
    }
    assertEquals(80, s.jitterUnits(), 1);
    assertEquals(10.0, s.jitterMillis(), 0.2);
  }

  @Test void givenSteadyArrivals_whenJitterUpdated_thenZero() {
    for (int i = 0; i < 100; i++) s.updateJitter(5000 + 160 * i, 77 + 160 * i);
    assertEquals(0, s.jitterUnits());
  }

  @Test void givenOneStepOf16_whenJitterUpdated_thenMatchesIntegerFormula() {
    s.updateJitter(0, 0);
    s.updateJitter(160 + 16, 160); // D = 16: J(scaled) = 0 + 16 - ((0 + 8) >> 4) = 16 → reported 1
    assertEquals(1, s.jitterUnits());
  }
}
