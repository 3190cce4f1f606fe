package io.voiceagent.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RtpDtmfAndRtcpTest extends EngineFixture {

  @Test void givenFarEndPressesDigits_whenEventsArriveWithTripleEnd_thenEachDigitReportedOnce() throws Exception {
    engine(config(8));
    TestPeer peer = closeLater(new TestPeer());
    RecordingListener listener = new RecordingListener();
    RtpSession session = engine.open(listener);
    session.start(peer.address(), RtpCodec.PCMU, 96);
    var to = RtpSessionTest.localOf(session);
    int seq = 100;
    peer.send(TestPeer.rtp(false, 0, seq++, 0, 9, TestPeer.filled(160, 0xFF)), to);
    peer.send(TestPeer.rtp(false, 0, seq++, 160, 9, TestPeer.filled(160, 0xFF)), to);
    String pressed = "5#5";
    int ts = 320;
    for (char c : pressed.toCharArray()) {
      int event = DtmfReceiver.DIGITS.indexOf(c);
      peer.send(TestPeer.rtp(true, 96, seq++, ts, 9, new byte[] {(byte) event, 10, 0, (byte) 160}), to);
      peer.send(TestPeer.rtp(false, 96, seq++, ts, 9, new byte[] {(byte) event, 10, 1, (byte) 224}), to);
      for (int i = 0; i < 3; i++) {
        peer.send(TestPeer.rtp(false, 96, seq, ts, 9, new byte[] {(byte) event, (byte) 0x8A, 3, 32}), to);
      }
      seq++;
      assertEquals(c, listener.digits.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS), "digit " + c);
      ts += 1280;
    }
    Await.until("all event packets handled", WAIT, () -> session.detailedStats().dtmfReceived() == 3);
    assertTrue(listener.digits.isEmpty(), "a digit reported twice: " + listener.digits);
  }

  @Test void givenDigitsToSend_whenSent_thenRfc4733PacketsWithOneTimestampGrowingDurationAndTripleEnd() {
    engine(config(8));
    TestPeer peer = closeLater(new TestPeer());
    RtpSession session = engine.open(RtpSession.Listener.NONE);
    session.start(peer.address(), RtpCodec.PCMU, 101);
    TestPeer.Datagram lastAudio = peer.mustReceive(WAIT);
    session.sendDtmf("1#");
    List<TestPeer.Datagram> events = new ArrayList<>();
    TestPeer.Datagram afterFirst = null;
    while (events.size() < 10) {
      TestPeer.Datagram d = peer.mustReceive(WAIT);
      if (d.payloadType() == 101) {
        events.add(d);
      } else if (events.isEmpty()) {
        lastAudio = d;
      } else if (afterFirst == null && events.size() == 5) {
        afterFirst = d;
      }
    }
    int[][] expected = {{1, 0, 160}, {1, 0, 480}, {1, 1, 800}, {1, 1, 800}, {1, 1, 800},
        {11, 0, 160}, {11, 0, 480}, {11, 1, 800}, {11, 1, 800}, {11, 1, 800}};
    for (int i = 0; i < expected.length; i++) {
      byte[] p = events.get(i).payload();
      assertEquals(expected[i][0], p[0], "event of packet " + i);
      assertEquals(expected[i][1] == 1, (p[1] & 0x80) != 0, "E bit of packet " + i);
      assertEquals(10, p[1] & 0x3F, "volume");
      assertEquals(expected[i][2], ((p[2] & 0xFF) << 8) | (p[3] & 0xFF), "duration of packet " + i);
    }
    assertTrue(events.get(0).marker() && events.get(5).marker(), "M = 1 on each event's first packet");
    assertFalse(events.get(1).marker() || events.get(2).marker());
    for (int i = 1; i < 5; i++) assertEquals(events.get(0).timestamp(), events.get(i).timestamp(), "one timestamp");
    assertArrayEquals(events.get(2).data(), events.get(3).data(), "end packets are identical");
    assertArrayEquals(events.get(2).data(), events.get(4).data());
    assertEquals(lastAudio.ssrc(), events.get(0).ssrc(), "audio and events share the SSRC");
    assertEquals((lastAudio.sequence() + 1) & 0xFFFF, events.get(0).sequence(), "and the sequence space");
    assertEquals(lastAudio.timestamp() + 160, events.get(0).timestamp(), "and the clock");
    assertTrue(afterFirst != null && afterFirst.payloadType() == 0, "audio between digits");
    Await.until("digits counted", WAIT, () -> session.detailedStats().dtmfSent() == 2);
  }

  /** A far end with RTP on an even port and RTCP on the next. */
  private static TestPeer[] peerPair() throws IOException {
    for (int attempt = 0; attempt < 100; attempt++) {
      int port = 2 * ThreadLocalRandom.current().nextInt(10_000, 30_000);
      TestPeer rtp = null;
      try {
        rtp = new TestPeer(port);
        return new TestPeer[] {rtp, new TestPeer(port + 1)};
      } catch (BindException e) {
        if (rtp != null) rtp.close();
      }
    }
    throw new IOException("no free port pair for the test peer");
  }

  @Test void givenFarEndReports_whenRtcpFlows_thenOurReportsCarryLsrAndTheirBlockGivesRttLossAndJitter()
      throws Exception {
    engine(config(8));
    TestPeer[] pair = peerPair();
    TestPeer peer = closeLater(pair[0]);
    TestPeer peerRtcp = closeLater(pair[1]);
    RtpSession session = engine.open(RtpSession.Listener.NONE);
    session.start(peer.address(), RtpCodec.PCMU, -1);
    var to = RtpSessionTest.localOf(session);
    var rtcpTo = new InetSocketAddress(TestPeer.LOOPBACK, session.localPort() + 1);
    long theirSsrc = 0x7EE7L;
    for (int i = 0; i < 3; i++) peer.send(TestPeer.rtp(false, 0, 10 + i, 160 * i, theirSsrc, TestPeer.filled(160, 0xFF)), to);
    Await.until("the far end's source is valid", WAIT, () -> session.stats().packetsReceived() == 2);
    // their SR, before our first report (which is due 1–3 s after start)
    byte[] sr = new byte[64];
    long theirNtp = Rtcp.ntp(1_700_000_000_000_000_000L);
    int len = Rtcp.writeReportHeader(sr, 0, true, 0, theirSsrc, theirNtp, 480, 3, 480);
    peerRtcp.send(java.util.Arrays.copyOf(sr, len), rtcpTo);

    TestPeer.Datagram ours = peerRtcp.mustReceive(WAIT);
    long received = System.nanoTime();
    Rtcp.Report report = new Rtcp.Report();
    assertTrue(Rtcp.parse(ours.data(), 0, ours.data().length, theirSsrc, report), "our RTCP is well formed");
    assertEquals(session.localPort() + 1, ours.source().getPort(), "RTCP sent from RTP port + 1");
    assertTrue(report.hasSenderInfo, "we send RTP, so an SR");
    assertTrue(report.hasBlockForUs, "with a report block about their stream");
    assertEquals(Rtcp.ntpMiddle(theirNtp), report.lsr, "LSR = middle 32 bits of their SR");
    assertTrue(report.dlsr > 0, "DLSR counts the time since their SR");
    assertEquals(12, report.extendedHighestSeq);
    assertEquals(0, report.cumulativeLost);
    assertTrue(containsCname(ours.data()), "SDES CNAME follows");

    // their RR about our stream, answering our SR: LSR from it, DLSR the time they held it
    byte[] rr = new byte[64];
    len = Rtcp.writeReportHeader(rr, 0, false, 1, theirSsrc, 0, 0, 0, 0);
    RtpHeader.writeInt(rr, len, (int) report.senderSsrc);
    RtpHeader.writeInt(rr, len + 4, (64 << 24) | 3);
    RtpHeader.writeInt(rr, len + 8, 5000);
    RtpHeader.writeInt(rr, len + 12, 80);
    RtpHeader.writeInt(rr, len + 16, Rtcp.ntpMiddle(report.senderNtp));
    RtpHeader.writeInt(rr, len + 20, Rtcp.toShortNtp(System.nanoTime() - received));
    peerRtcp.send(java.util.Arrays.copyOf(rr, len + 24), rtcpTo);
    RtpSessionStats s = Await.value("their report read", WAIT, session::detailedStats, st -> st.rtcpReceived() == 2);
    assertEquals(0.25, s.remoteFractionLost());
    assertEquals(3, s.remoteCumulativeLost());
    assertEquals(10.0, s.remoteJitterMillis());
    assertTrue(s.roundTripMillis() >= 0 && s.roundTripMillis() < 1000, "round trip " + s.roundTripMillis());
  }

  @Test void givenOpenSession_whenClosed_thenRtcpByeIsSent() throws Exception {
    engine(config(8));
    TestPeer[] pair = peerPair();
    TestPeer peer = closeLater(pair[0]);
    TestPeer peerRtcp = closeLater(pair[1]);
    RtpSession session = engine.open(RtpSession.Listener.NONE);
    session.start(peer.address(), RtpCodec.PCMU, -1);
    peer.mustReceive(WAIT);
    session.close();
    while (true) {
      TestPeer.Datagram d = peerRtcp.mustReceive(WAIT);
      if (containsType(d.data(), Rtcp.BYE)) break;
    }
  }

  @Test void givenRtcpFromAStranger_whenReceived_thenDropped() throws Exception {
    engine(config(8));
    TestPeer peer = closeLater(new TestPeer());
    RtpSession session = engine.open(RtpSession.Listener.NONE);
    session.start(new InetSocketAddress("127.0.0.2", peer.address().getPort()), RtpCodec.PCMU, -1);
    byte[] rr = new byte[8];
    Rtcp.writeReportHeader(rr, 0, false, 0, 1, 0, 0, 0, 0);
    peer.send(rr, new InetSocketAddress(TestPeer.LOOPBACK, session.localPort() + 1));
    peer.send(new byte[] {1, 2, 3}, new InetSocketAddress(TestPeer.LOOPBACK, session.localPort() + 1));
    Await.until("dropped", WAIT, () -> session.detailedStats().rtcpDropped() == 2);
    assertEquals(0, session.detailedStats().rtcpReceived());
  }

  private static boolean containsType(byte[] b, int type) {
    for (int pos = 0; pos + 4 <= b.length; ) {
      if ((b[pos + 1] & 0xFF) == type) return true;
      pos += ((((b[pos + 2] & 0xFF) << 8) | (b[pos + 3] & 0xFF)) + 1) * 4;
    }
    return false;
  }

  private static boolean containsCname(byte[] b) {
    for (int pos = 0; pos + 10 <= b.length; ) {
      if ((b[pos + 1] & 0xFF) == Rtcp.SDES) return b[pos + 8] == Rtcp.CNAME && b[pos + 9] > 0;
      pos += ((((b[pos + 2] & 0xFF) << 8) | (b[pos + 3] & 0xFF)) + 1) * 4;
    }
    return false;
  }

}
