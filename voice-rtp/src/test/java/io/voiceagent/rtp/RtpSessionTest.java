package io.voiceagent.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voiceagent.core.audio.G711;
import io.voiceagent.core.telephony.MediaStats;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class RtpSessionTest extends EngineFixture {

  @Test void givenStartedSession_whenNothingToSay_thenSilenceFlowsWithContinuousTimestampsAndOneMarker() {
    engine(config(8));
    TestPeer peer = closeLater(new TestPeer());
    RtpSession session = engine.open(RtpSession.Listener.NONE);
    session.start(peer.address(), RtpCodec.PCMU, 101);

    TestPeer.Datagram first = peer.mustReceive(WAIT);
    assertEquals(session.localPort(), first.source().getPort(), "symmetric RTP: sent from the port we receive on");
    assertEquals(0, first.payloadType());
    assertTrue(first.marker(), "M = 1 on the very first packet");
    assertEquals(172, first.data().length);
    TestPeer.Datagram prev = first;
    for (int i = 0; i < 30; i++) {
      TestPeer.Datagram d = peer.mustReceive(WAIT);
      assertFalse(d.marker(), "continuous stream: no marker after the first packet");
      assertEquals((prev.sequence() + 1) & 0xFFFF, d.sequence());
      assertEquals(prev.timestamp() + 160, d.timestamp());
      assertEquals(first.ssrc(), d.ssrc());
      byte[] silence = new byte[160];
      Arrays.fill(silence, G711.ULAW_SILENCE);
      assertArrayEquals(silence, d.payload());
      prev = d;
    }
  }

  @Test void givenTwoSessions_whenStarted_thenSsrcSequenceAndTimestampAreRandom() {
    engine(config(8));
    TestPeer a = closeLater(new TestPeer());
    TestPeer b = closeLater(new TestPeer());
    RtpSession s1 = engine.open(RtpSession.Listener.NONE);
    RtpSession s2 = engine.open(RtpSession.Listener.NONE);
    s1.start(a.address(), RtpCodec.PCMU, -1);
    s2.start(b.address(), RtpCodec.PCMU, -1);
    TestPeer.Datagram d1 = a.mustReceive(WAIT);
    TestPeer.Datagram d2 = b.mustReceive(WAIT);
    assertNotEquals(d1.ssrc(), d2.ssrc());
    assertFalse(d1.sequence() == d2.sequence() && d1.timestamp() == d2.timestamp(),
        "initial sequence and timestamp must not be fixed");
    assertEquals(0, s1.localPort() % 2, "RTP on an even port");
  }

  @Test void givenPcmaAndAgentAudio_whenTicked_thenPayloadIsTheEncodedAgentFrames() {
    engine(config(8));
    TestPeer peer = closeLater(new TestPeer());
    RecordingHandler handler = new RecordingHandler();
    for (int f = 0; f < 5; f++) {
      short[] frame = new short[160];
      for (int i = 0; i < 160; i++) frame[i] = (short) ((f + 1) * 1000 + i * 10);
      handler.agent.add(frame);
    }
    RtpSession session = engine.open(RtpSession.Listener.NONE);
    session.attach(handler);
    session.start(peer.address(), RtpCodec.PCMA, 101);
    for (int f = 0; f < 5; f++) {
      TestPeer.Datagram d = peer.receivePayloadType(8, WAIT);
      short[] frame = new short[160];
      for (int i = 0; i < 160; i++) frame[i] = (short) ((f + 1) * 1000 + i * 10);
      byte[] expected = new byte[160];
      G711.encode(G711.Law.ALAW, frame, 0, expected, 0, 160);
      assertArrayEquals(expected, d.payload(), "frame " + f);
    }
    byte[] silence = new byte[160];
    Arrays.fill(silence, G711.ALAW_SILENCE);
    assertArrayEquals(silence, peer.receivePayloadType(8, WAIT).payload(), "nothing left to say: silence");
  }

  @Test void givenPeerSpeaks_whenHandlerAttached_thenDecodedFramesArriveInOrder() throws Exception {
    engine(config(8));
    TestPeer peer = closeLater(new TestPeer());
    RecordingHandler handler = new RecordingHandler();
    RtpSession session = engine.open(RtpSession.Listener.NONE);
    session.attach(handler);
    session.start(peer.address(), RtpCodec.PCMU, 101);
    // one packet per tick, paced by the frames the handler gets; codes 0x80.. are distinct loud levels
    int packets = 40;
    java.util.List<short[]> heard = new java.util.ArrayList<>();
    for (int i = 0; i < packets; i++) {
      peer.send(TestPeer.rtp(i == 0, 0, 500 + i, 8000 + 160 * i, 0x1234, TestPeer.filled(160, 0x80 + i)), localOf(session));
      if (i >= 3) heard.add(handler.nextCallee()); // three packets ahead of playout
    }
    for (int i = 0; i < 30; i++) heard.add(handler.nextCallee());
    // the jitter buffer may stretch or conceal at the edges, but what it plays of the stream is in order
    int previous = -1;
    java.util.Set<Integer> levels = new java.util.TreeSet<>();
    for (short[] f : heard) {
      for (short x : f) {
        int code = indexOf(x);
        if (code < 0) continue;
        assertTrue(code >= previous, "level of packet " + code + " played after packet " + previous);
        previous = code;
        levels.add(code);
      }
    }
    assertTrue(levels.size() >= packets - 10, "decoded audio of most packets was played: " + levels);
    MediaStats stats = session.stats();
    assertEquals("PCMU", stats.codec());
    assertEquals(packets - 1, stats.packetsReceived(), "all but the probation packet (RFC 3550 A.1)");
    assertEquals(0, stats.packetsLost());
    assertEquals("127.0.0.1:" + peer.address().getPort(), stats.remote());
  }

  private static int indexOf(short sample) {
    for (int i = 0; i < 40; i++) if (G711.ulawToLinear((byte) (0x80 + i)) == sample) return i;
    return -1; // silence, or audio the jitter buffer synthesised
  }

  static java.net.InetSocketAddress localOf(RtpSession s) {
    return new java.net.InetSocketAddress(TestPeer.LOOPBACK, s.localPort());
  }

  @Test void givenMalformedAndUnnegotiatedPackets_whenInterleaved_thenDroppedCountedAndCallGoesOn() throws Exception {
    engine(config(8));
    TestPeer peer = closeLater(new TestPeer());
    RecordingHandler handler = new RecordingHandler();
    RtpSession session = engine.open(RtpSession.Listener.NONE);
    session.attach(handler);
    session.start(peer.address(), RtpCodec.PCMU, 101);
    var to = localOf(session);
    byte[] quiet = TestPeer.filled(160, 0xFE); // decodes to a small constant
    short quietLevel = G711.ulawToLinear((byte) 0xFE);
    for (int i = 0; i < 30; i++) {
      peer.send(TestPeer.rtp(false, 0, 100 + i, 160 * i, 77, quiet), to);
      byte[] bad;
      switch (i % 6) {
        case 0: bad = new byte[7]; break;                                                 // too short
        case 1: bad = TestPeer.rtp(false, 0, 999, 0, 77, TestPeer.filled(160, 0)); bad[0] = 0x40; break; // version 1
        case 2: bad = TestPeer.rtp(false, 0, 999, 0, 77, TestPeer.filled(20, 0)); bad[0] = (byte) 0x8F; break; // 15 CSRCs
        case 3: bad = TestPeer.rtp(false, 0, 999, 0, 77, TestPeer.filled(160, 0)); bad[0] = (byte) 0x90; bad[15] = 100; break;
        case 4: bad = TestPeer.rtp(false, 0, 999, 0, 77, TestPeer.filled(160, 0)); bad[0] = (byte) 0xA0; bad[bad.length - 1] = 0; break;
        default: bad = TestPeer.rtp(false, 96, 999, 0, 77, TestPeer.filled(160, 0)); break; // not negotiated
      }
      peer.send(bad, to);
      handler.nextCallee();
    }
    RtpSessionStats s = Await.value("all packets counted", WAIT, session::detailedStats,
        st -> st.media().packetsReceived() + st.droppedSequence() == 30 && st.droppedMalformed() == 25);
    assertEquals(5, s.droppedPayloadType());
    assertEquals(29, s.media().packetsReceived());
    // nothing of the garbage (loud 0x00 codes) reached the audio
    // (concealment may fade the quiet level, but nothing comes near the garbage's full scale)
    for (short[] f : handler.callee) for (short x : f) assertTrue(Math.abs(x) <= Math.abs(quietLevel), "sample " + x);
    assertTrue(peer.receivePayloadType(0, WAIT) != null, "the call still sends");
  }

  @Test void givenNoHandler_whenPeerSpeaks_thenMediaCountedAndSilenceSent() {
    engine(config(8));
    TestPeer peer = closeLater(new TestPeer());
    RtpSession session = engine.open(RtpSession.Listener.NONE);
    session.start(peer.address(), RtpCodec.PCMU, -1);
    for (int i = 0; i < 20; i++) {
      peer.send(TestPeer.rtp(false, 0, i, 160 * i, 5, TestPeer.filled(160, 0x10)), localOf(session));
      byte[] silence = TestPeer.filled(160, 0xFF);
      assertArrayEquals(silence, peer.mustReceive(WAIT).payload());
    }
    Await.until("packets counted", WAIT, () -> session.stats().packetsReceived() == 19);
  }

  @Test void givenFarEndHolds_whenSendonly_thenWeStopSendingAndResumeWithMarkerAndTimestampJump() {
    engine(config(8));
    TestPeer peer = closeLater(new TestPeer());
    RtpSession session = engine.open(RtpSession.Listener.NONE);
    session.start(peer.address(), RtpCodec.PCMU, -1);
    TestPeer.Datagram before = peer.mustReceive(WAIT);
    session.setDirection(MediaDirection.SENDONLY);
    // drain until the stream stops: no packet for 300 ms
    TestPeer.Datagram last = before;
    long deadline = System.nanoTime() + WAIT.toNanos();
    TestPeer.Datagram d;
    while ((d = peer.receive(Duration.ofMillis(300))) != null) {
      last = d;
      assertTrue(System.nanoTime() < deadline, "still sending while the far end is sendonly");
    }
    session.setDirection(MediaDirection.SENDRECV);
    TestPeer.Datagram resumed = peer.mustReceive(WAIT);
    assertTrue(resumed.marker(), "talkspurt start after the pause");
    assertEquals((last.sequence() + 1) & 0xFFFF, resumed.sequence(), "sequence numbers have no gap");
    int jump = resumed.timestamp() - last.timestamp();
    assertTrue(jump >= 160 * 15 && jump % 160 == 0, "timestamp follows the clock through the pause: +" + jump);
  }

  @Test void givenBadArguments_whenCalled_thenClearErrors() {
    engine(config(8));
    RtpSession session = engine.open(RtpSession.Listener.NONE);
    assertThrows(IllegalStateException.class, () -> session.sendDtmf("1"), "before start");
    TestPeer peer = closeLater(new TestPeer());
    session.start(peer.address(), RtpCodec.PCMU, -1);
    RtpException e = assertThrows(RtpException.class, () -> session.sendDtmf("1"));
    assertTrue(e.getMessage().contains("telephone-event"), e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> session.start(java.net.InetSocketAddress.createUnresolved("example.com", 4000), RtpCodec.PCMU, -1));
    assertThrows(IllegalArgumentException.class, () -> session.start(peer.address(), RtpCodec.PCMU, 0));
    session.close();
    session.close(); // idempotent
    assertEquals(0, engine.portsInUse());
  }
}
