package io.voiceagent.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voiceagent.rtp.SourceLatch.Decision;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class SourceLatchTest {
  private static final long WINDOW = 3_000_000_000L;
  private final InetSocketAddress sdp = new InetSocketAddress("192.0.2.10", 4000);
  private final InetSocketAddress nat = new InetSocketAddress("198.51.100.7", 31000);
  private final InetSocketAddress spray = new InetSocketAddress("203.0.113.66", 5555);
  private final SourceLatch latch = new SourceLatch();

  @Test void givenNatSource_whenFourInSequencePacketsInWindow_thenLearntAndLocked() {
    latch.reset(sdp, 0, WINDOW, false);
    assertEquals(Decision.PROBATION, latch.check(nat, 7, 100, 1));
    assertEquals(Decision.PROBATION, latch.check(nat, 7, 101, 2));
    assertEquals(Decision.PROBATION, latch.check(nat, 7, 102, 3));
    assertEquals(Decision.LEARNT, latch.check(nat, 7, 103, 4));
    assertEquals(nat, latch.accepted());
    assertEquals(Decision.ACCEPT, latch.check(nat, 7, 104, 5));
    assertEquals(Decision.REJECT, latch.check(sdp, 9, 1, 6), "locked: not even the SDP address any more");
  }

  @Test void givenSdpSourceSpeaks_whenOtherSourceSendsPerfectStream_thenNeverLearnt() {
    latch.reset(sdp, 0, WINDOW, false);
    assertEquals(Decision.ACCEPT, latch.check(sdp, 1, 1, 1));
    for (int i = 0; i < 10; i++) assertEquals(Decision.REJECT, latch.check(spray, 5, 200 + i, 2 + i));
  }

  @Test void givenOutOfSequenceOrSsrcHopping_whenInWindow_thenProbationNeverCompletes() {
    latch.reset(sdp, 0, WINDOW, false);
    for (int i = 0; i < 50; i++) {
      assertEquals(Decision.PROBATION, latch.check(spray, i, 1000 + 2 * i, i + 1), "SSRC changes every packet");
      assertEquals(Decision.PROBATION, latch.check(nat, 8, 3 * i, i + 1), "sequence skips every packet");
    }
    assertEquals(sdp, latch.accepted());
  }

  @Test void givenInterleavedSprayer_whenNatSourceIsInProbation_thenItStillLatches() {
    latch.reset(sdp, 0, WINDOW, false);
    for (int i = 0; i < 3; i++) {
      assertEquals(Decision.PROBATION, latch.check(nat, 7, 100 + i, 10 * i));
      latch.check(spray, i, i * 7, 10 * i + 1);
    }
    assertEquals(Decision.LEARNT, latch.check(nat, 7, 103, 40));
  }

  @Test void givenWindowOver_whenPerfectStreamFromElsewhere_thenRejected() {
    latch.reset(sdp, 0, WINDOW, false);
    for (int i = 0; i < 10; i++) assertEquals(Decision.REJECT, latch.check(nat, 7, 100 + i, WINDOW + i));
    assertTrue(latch.locked());
  }

  @Test void givenStrictMode_whenPerfectStreamFromElsewhere_thenRejected() {
    latch.reset(sdp, 0, WINDOW, true);
    for (int i = 0; i < 10; i++) assertEquals(Decision.REJECT, latch.check(nat, 7, 100 + i, i));
    assertEquals(Decision.ACCEPT, latch.check(sdp, 7, 100, 20));
  }

  @Test void givenRenegotiationToSameAddressBeforeAnyMedia_whenRenewed_thenWindowReopens() {
    latch.reset(sdp, 0, WINDOW, false);
    latch.renew(10 * WINDOW, WINDOW);
    for (int i = 0; i < 3; i++) latch.check(nat, 7, 100 + i, 10 * WINDOW + i);
    assertEquals(Decision.LEARNT, latch.check(nat, 7, 103, 10 * WINDOW + 4));
  }
}
