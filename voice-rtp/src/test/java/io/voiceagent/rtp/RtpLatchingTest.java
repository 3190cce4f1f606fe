package io.voiceagent.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voiceagent.core.audio.G711;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/** Latching without RTP bleed (media.md §4), with real sockets: the far end, a NATed far end and a sprayer. */
class RtpLatchingTest extends EngineFixture {
  private static final byte QUIET = (byte) 0xFE;
  private static final byte LOUD = (byte) 0x00; // −32124: unmistakable in the audio

  @Test void givenSprayerDuringCall_whenItFloodsOurPort_thenNothingReachesTheAudioAndItNeverGetsOurMedia()
      throws Exception {
    engine(config(8));
    TestPeer farEnd = closeLater(new TestPeer());
    TestPeer sprayer = closeLater(new TestPeer());
    RecordingHandler handler = new RecordingHandler();
    RtpSession session = engine.open(RtpSession.Listener.NONE);
    session.attach(handler);
    session.start(farEnd.address(), RtpCodec.PCMU, 101);
    var to = RtpSessionTest.localOf(session);
    ThreadLocalRandom rnd = ThreadLocalRandom.current();
    // the sprayer starts first, inside the learning window, with what a port scanner sends: random headers
    for (int i = 0; i < 20; i++) {
      sprayer.send(TestPeer.rtp(false, 0, rnd.nextInt(65536), rnd.nextInt(), rnd.nextLong(1L << 32),
          TestPeer.filled(160, LOUD)), to);
    }
    int sprayed = 20;
    for (int i = 0; i < 60; i++) {
      farEnd.send(TestPeer.rtp(i == 0, 0, 1000 + i, 160 * i, 0xFA, TestPeer.filled(160, QUIET)), to);
      // and then a perfect stream of its own, in sequence with one SSRC and the right payload type
      sprayer.send(TestPeer.rtp(false, 0, 7000 + i, 999 * i, 0x5B, TestPeer.filled(160, LOUD)), to);
      sprayer.send(TestPeer.rtp(false, 101, 9000 + i, 5, 0x5C, new byte[] {5, 10, 0, (byte) 160}), to);
      sprayed += 2;
      handler.nextCallee();
    }
    RtpSessionStats stats = Await.value("every sprayed packet dropped", WAIT, session::detailedStats,
        s -> s.droppedForeignSource() + s.droppedLearning() == 20 + 120);
    assertEquals(sprayed, stats.droppedForeignSource() + stats.droppedLearning());
    assertNull(stats.learntSource(), "nothing learnt");
    assertEquals(0, stats.dtmfReceived(), "the sprayer's telephone-events went nowhere");
    short quiet = G711.ulawToLinear(QUIET);
    for (short[] f : handler.callee) {
      for (short x : f) assertTrue(Math.abs(x) <= Math.abs(quiet), "sprayed audio leaked into the call: " + x);
    }

    // our media goes to the far end only: once it has had a second of it, the sprayer has had nothing
    int got = 0;
    while (got < 50) if (farEnd.receivePayloadType(0, WAIT) != null) got++;
    assertNull(sprayer.receive(Duration.ofMillis(50)), "the sprayer received our media");
  }

  @Test void givenNatedFarEnd_whenItSendsFromAnotherAddress_thenLatchedAfterFourPacketsAndMediaFollowsIt()
      throws Exception {
    engine(config(8));
    TestPeer sdpAddress = closeLater(new TestPeer()); // what the SDP said: never sends
    TestPeer natted = closeLater(new TestPeer());     // where the far end's packets really come from
    RecordingHandler handler = new RecordingHandler();
    RtpSession session = engine.open(RtpSession.Listener.NONE);
    session.attach(handler);
    session.start(sdpAddress.address(), RtpCodec.PCMU, -1);
    assertTrue(sdpAddress.mustReceive(WAIT) != null, "we send first, to the SDP address");
    var to = RtpSessionTest.localOf(session);
    for (int i = 0; i < 30; i++) {
      natted.send(TestPeer.rtp(i == 0, 0, 40 + i, 160 * i, 0xAB, TestPeer.filled(160, QUIET)), to);
      handler.nextCallee();
    }
    TestPeer.Datagram d = natted.mustReceive(WAIT);
    assertEquals(session.localPort(), d.source().getPort());
    RtpSessionStats s = session.detailedStats();
    assertEquals("127.0.0.1:" + natted.address().getPort(), s.learntSource());
    assertEquals("127.0.0.1:" + natted.address().getPort(), s.media().remote());
    assertEquals(SourceLatch.PROBATION - 1, s.droppedLearning(), "probation packets are not played");
    short quiet = G711.ulawToLinear(QUIET);
    Await.until("the far end's audio plays", WAIT, () -> {
      short[] f = handler.callee.poll();
      return f != null && f[0] == quiet;
    });
  }

  @Test void givenStrictLatching_whenFarEndSendsFromAnotherAddress_thenNeverLearnt() throws Exception {
    engine(config(8).withStrictLatching(true));
    TestPeer sdpAddress = closeLater(new TestPeer());
    TestPeer other = closeLater(new TestPeer());
    RecordingHandler handler = new RecordingHandler();
    RtpSession session = engine.open(RtpSession.Listener.NONE);
    session.attach(handler);
    session.start(sdpAddress.address(), RtpCodec.PCMU, -1);
    var to = RtpSessionTest.localOf(session);
    for (int i = 0; i < 20; i++) {
      other.send(TestPeer.rtp(false, 0, i, 160 * i, 0xAB, TestPeer.filled(160, LOUD)), to);
      handler.nextCallee();
    }
    RtpSessionStats s = Await.value("all dropped", WAIT, session::detailedStats, st -> st.droppedForeignSource() == 20);
    assertNull(s.learntSource());
    assertEquals(0, s.media().packetsReceived());
  }

  @Test void givenNoLearningWindow_whenPerfectStreamFromAnotherAddress_thenDropped() throws Exception {
    engine(config(8).withLearningWindow(Duration.ZERO));
    TestPeer sdpAddress = closeLater(new TestPeer());
    TestPeer other = closeLater(new TestPeer());
    RecordingHandler handler = new RecordingHandler();
    RtpSession session = engine.open(RtpSession.Listener.NONE);
    session.attach(handler);
    session.start(sdpAddress.address(), RtpCodec.PCMU, -1);
    var to = RtpSessionTest.localOf(session);
    for (int i = 0; i < 20; i++) {
      other.send(TestPeer.rtp(false, 0, i, 160 * i, 0xAB, TestPeer.filled(160, LOUD)), to);
      handler.nextCallee();
    }
    Await.until("all dropped", WAIT, () -> session.detailedStats().droppedForeignSource() == 20);
    // the SDP address itself is still heard
    sdpAddress.send(TestPeer.rtp(false, 0, 1, 0, 0xCD, TestPeer.filled(160, QUIET)), to);
    sdpAddress.send(TestPeer.rtp(false, 0, 2, 160, 0xCD, TestPeer.filled(160, QUIET)), to);
    Await.until("the SDP source counted", WAIT, () -> session.stats().packetsReceived() == 1);
  }

  @Test void givenReinviteToNewAddress_whenStartedAgain_thenMediaMovesAndLearningRestarts() throws Exception {
    engine(config(8));
    TestPeer first = closeLater(new TestPeer());
    TestPeer second = closeLater(new TestPeer());
    RtpSession session = engine.open(RtpSession.Listener.NONE);
    session.start(first.address(), RtpCodec.PCMU, -1);
    var to = RtpSessionTest.localOf(session);
    first.send(TestPeer.rtp(false, 0, 1, 0, 0x11, TestPeer.filled(160, QUIET)), to);
    first.send(TestPeer.rtp(false, 0, 2, 160, 0x11, TestPeer.filled(160, QUIET)), to);
    Await.until("first source heard", WAIT, () -> session.stats().packetsReceived() == 1);
    TestPeer.Datagram before = first.mustReceive(WAIT);
    session.start(second.address(), RtpCodec.PCMA, -1);
    TestPeer.Datagram after = second.receivePayloadType(8, WAIT);
    assertEquals(before.ssrc(), after.ssrc(), "one stream: same SSRC across the re-INVITE");
    assertEquals("127.0.0.1:" + second.address().getPort(), session.stats().remote());
    // the new address speaks (which locks the latch on it); the old one is foreign now
    second.send(TestPeer.rtp(false, 8, 50, 0, 0x22, TestPeer.filled(160, 0xD5)), to);
    second.send(TestPeer.rtp(false, 8, 51, 160, 0x22, TestPeer.filled(160, 0xD5)), to);
    Await.until("new address heard", WAIT, () -> session.stats().packetsReceived() == 2);
    first.send(TestPeer.rtp(false, 8, 3, 320, 0x11, TestPeer.filled(160, 0xD5)), to);
    Await.until("old address dropped", WAIT, () -> session.detailedStats().droppedForeignSource() == 1);
  }
}
