package io.voiceagent.sip;

import static io.voiceagent.sip.SipTestSupport.WAIT;
import static io.voiceagent.sip.SipTestSupport.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voiceagent.core.call.CallId;
import io.voiceagent.core.call.EndReason;
import io.voiceagent.core.call.PhoneNumber;
import io.voiceagent.core.telephony.DialRequest;
import io.voiceagent.core.telephony.TelephonyEnd;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Malformed SIP, retransmissions and floods: the user agent answers what it can and never breaks. */
class SipRobustnessTest {
  private final FakeRtpEngine rtp = new FakeRtpEngine();
  private SipUserAgent ua;

  @AfterEach void tearDown() throws Exception {
    if (ua != null) {
      await("calls forgotten", WAIT, ua::activeCalls, n -> n == 0);
      ua.close();
    }
    assertEquals(0, rtp.portsInUse());
  }

  private SipUserAgent startCallee(InboundCallPolicy policy) {
    SipConfig config = SipConfig.builder(SipTestSupport.USER, "sip.test")
        .bindAddress("127.0.0.1").localPort(Sipp.freeUdpPort()).register(false).sessionExpires(Duration.ZERO).build();
    SipUserAgent.Builder b = SipUserAgent.builder(config).rtpEngine(rtp);
    if (policy != null) b.inboundPolicy(policy);
    return b.start();
  }

  private static String invite(String callId, int port, String contentLength, String body) {
    return "INVITE sip:" + SipTestSupport.USER + "@127.0.0.1 SIP/2.0\n"
        + "Via: SIP/2.0/UDP 127.0.0.1:" + port + ";rport;branch=z9hG4bK" + callId + "\n"
        + "From: <sip:79990001122@127.0.0.1>;tag=t" + callId + "\n"
        + "To: <sip:" + SipTestSupport.USER + "@127.0.0.1>\n"
        + "Call-ID: " + callId + "\n"
        + "CSeq: 1 INVITE\n"
        + "Contact: <sip:caller@127.0.0.1:" + port + ">\n"
        + "Max-Forwards: 70\n"
        + "Content-Type: application/sdp\n"
        + "Content-Length: " + contentLength + "\n\n" + body;
  }

  @Test void givenTortureMessages_whenReceived_thenEachIsDroppedOrAnsweredAndTheAgentStaysUp() throws Exception {
    List<RecordingListener> accepted = new ArrayList<>();
    ua = startCallee(invite -> {
      if (!invite.sipCallId().equals("badsdp")) return InboundDecision.reject(603);
      RecordingListener l = new RecordingListener();
      synchronized (accepted) {
        accepted.add(l);
      }
      return InboundDecision.accept(CallId.random(), l);
    });
    int baselineThreads = Thread.activeCount();
    try (RawSipPeer peer = new RawSipPeer(ua.localAddress())) {
      int p = peer.port();
      Map<String, byte[]> torture = new LinkedHashMap<>();
      byte[] garbage = new byte[1200];
      new Random(42).nextBytes(garbage);
      torture.put("random bytes", garbage);
      torture.put("NUL bytes", new byte[64]);
      torture.put("request line only", "INVITE\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      torture.put("no SIP version", "INVITE sip:x@y\r\nVia: SIP/2.0/UDP 1.2.3.4\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      torture.put("missing Call-ID and CSeq", ("INVITE sip:a@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:" + p
          + ";branch=z9hG4bKx1\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:c@d>\r\nContent-Length: 0\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      torture.put("CSeq not a number", invite("cseq-bad", p, "0", "").replace("CSeq: 1 INVITE", "CSeq: abc INVITE")
          .replace("\n", "\r\n").getBytes(StandardCharsets.ISO_8859_1));
      torture.put("Content-Length too long", invite("cl-long", p, "99999", "v=0\r\n").replace("\n", "\r\n")
          .getBytes(StandardCharsets.ISO_8859_1));
      torture.put("Content-Length negative", invite("cl-neg", p, "-5", "").replace("\n", "\r\n")
          .getBytes(StandardCharsets.ISO_8859_1));
      torture.put("Content-Length not a number", invite("cl-nan", p, "many", "").replace("\n", "\r\n")
          .getBytes(StandardCharsets.ISO_8859_1));
      torture.put("60 kB header", invite("huge", p, "0", "").replace("Max-Forwards: 70", "X-Huge: " + "A".repeat(60000))
          .replace("\n", "\r\n").getBytes(StandardCharsets.ISO_8859_1));
      StringBuilder vias = new StringBuilder();
      for (int i = 0; i < 500; i++) vias.append("Via: SIP/2.0/UDP 10.0.0.").append(i % 250).append(";branch=z9hG4bKv").append(i).append('\n');
      torture.put("500 Via headers", invite("vias", p, "0", "").replace("Max-Forwards: 70\n", vias + "Max-Forwards: 70\n")
          .replace("\n", "\r\n").getBytes(StandardCharsets.ISO_8859_1));
      torture.put("stray response", ("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 127.0.0.1:" + p + ";branch=z9hG4bKnone\r\n"
          + "From: <sip:a@b>;tag=1\r\nTo: <sip:c@d>;tag=2\r\nCall-ID: nothing\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n")
          .getBytes(StandardCharsets.ISO_8859_1));
      int n = 0;
      for (var e : torture.entrySet()) {
        peer.send(e.getValue());
        peer.send(peer.options("alive-" + n));
        String reply = peer.awaitResponse("alive-" + n, WAIT);
        assertTrue(reply.startsWith("SIP/2.0 200"), "OPTIONS after " + e.getKey() + ": " + reply);
        n++;
      }

      // An unknown method gets 501; the agent stays up.
      peer.send("FROBNICATE sip:" + SipTestSupport.USER + "@127.0.0.1 SIP/2.0\nVia: SIP/2.0/UDP 127.0.0.1:" + p
          + ";branch=z9hG4bKfrob\nFrom: <sip:a@127.0.0.1>;tag=f\nTo: <sip:b@127.0.0.1>\nCall-ID: frob\nCSeq: 1 FROBNICATE\n"
          + "Max-Forwards: 70\nContent-Length: 0\n\n");
      String frob = peer.awaitResponse("frob", WAIT);
      assertTrue(frob.startsWith("SIP/2.0 501") || frob.startsWith("SIP/2.0 405"), frob);

      // A broken SDP offer: the policy accepted, the call fails cleanly with 400, once.
      peer.send(invite("badsdp", p, "17", "this is not SDP\r\n"));
      String bad = peer.awaitResponse("badsdp", WAIT);
      assertTrue(bad.startsWith("SIP/2.0 400"), bad);
      RecordingListener l;
      synchronized (accepted) {
        l = accepted.get(accepted.size() - 1);
      }
      TelephonyEnd end = l.awaitEnd(WAIT);
      assertEquals(EndReason.ERROR, end.reason());
      assertTrue(end.message().contains("SDP"), end.message());

      peer.send(peer.options("final"));
      assertTrue(peer.awaitResponse("final", WAIT).startsWith("SIP/2.0 200"));
    }
    await("no dialogs left", WAIT, ua::stackDialogs, d -> d == 0);
    // no thread per message: 14 messages arrived; other tests' threads may still be winding down around us
    await("no thread per message", WAIT, Thread::activeCount, n -> n <= baselineThreads + 5);
  }

  @Test void givenCalleeRetransmitsIts200_whenEachCopyArrives_thenEachIsAckedAndTheCallAnsweredOnce()
      throws Exception {
    try (RawSipPeer callee = new RawSipPeer(null)) {
      SipConfig config = SipTestSupport.config(callee.port()).build();
      ua = SipUserAgent.builder(config).rtpEngine(rtp).start();
      RecordingListener listener = new RecordingListener();
      ua.dial(new DialRequest(CallId.random(), new PhoneNumber("79123456789"), Duration.ofSeconds(60)), listener);

      byte[] buf = new byte[65535];
      java.net.DatagramPacket in = new java.net.DatagramPacket(buf, buf.length);
      callee.socket.setSoTimeout((int) WAIT.toMillis());
      callee.socket.receive(in);
      String invite = new String(in.getData(), 0, in.getLength(), StandardCharsets.ISO_8859_1);
      assertTrue(invite.startsWith("INVITE "), invite);
      java.net.SocketAddress ua1 = in.getSocketAddress();
      String sdp = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
          + "m=audio 30000 RTP/AVP 8 101\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:101 telephone-event/8000\r\n";
      String ok = "SIP/2.0 200 OK\r\n"
          + "Via: " + RawSipPeer.header(invite, "Via") + "\r\n"
          + "From: " + RawSipPeer.header(invite, "From") + "\r\n"
          + "To: " + RawSipPeer.header(invite, "To") + ";tag=callee1\r\n"
          + "Call-ID: " + RawSipPeer.header(invite, "Call-ID") + "\r\n"
          + "CSeq: " + RawSipPeer.header(invite, "CSeq") + "\r\n"
          + "Contact: <sip:callee@127.0.0.1:" + callee.port() + ">\r\n"
          + "Content-Type: application/sdp\r\nContent-Length: " + sdp.length() + "\r\n\r\n" + sdp;
      byte[] okBytes = ok.getBytes(StandardCharsets.ISO_8859_1);
      callee.socket.send(new java.net.DatagramPacket(okBytes, okBytes.length, ua1));
      String ack1 = awaitFrom(callee, "ACK ");
      callee.socket.send(new java.net.DatagramPacket(okBytes, okBytes.length, ua1)); // identical retransmission
      String ack2 = awaitFrom(callee, "ACK ");

      assertEquals(RawSipPeer.header(ack1, "CSeq"), RawSipPeer.header(ack2, "CSeq"));
      assertEquals("1 ACK", RawSipPeer.header(ack2, "CSeq"));
      listener.awaitEvent("answered", WAIT);
      ua.hangup(new CallId(listenerCallIdOf(ua)));
      String bye = awaitFrom(callee, "BYE ");
      String byeOk = "SIP/2.0 200 OK\r\nVia: " + RawSipPeer.header(bye, "Via") + "\r\nFrom: " + RawSipPeer.header(bye, "From")
          + "\r\nTo: " + RawSipPeer.header(bye, "To") + "\r\nCall-ID: " + RawSipPeer.header(bye, "Call-ID")
          + "\r\nCSeq: " + RawSipPeer.header(bye, "CSeq") + "\r\nContent-Length: 0\r\n\r\n";
      byte[] b = byeOk.getBytes(StandardCharsets.ISO_8859_1);
      callee.socket.send(new java.net.DatagramPacket(b, b.length, ua1));
      assertEquals(EndReason.LOCAL_HANGUP, listener.awaitEnd(WAIT).reason());
      assertEquals(List.of("answered", "ended"), listener.all, "answered once despite the second 200");
    }
  }

  private static String listenerCallIdOf(SipUserAgent ua) {
    // the test placed exactly one call
    return ua.callIds().iterator().next().value();
  }

  private static String awaitFrom(RawSipPeer peer, String prefix) throws Exception {
    String m = peer.await(prefix, WAIT);
    assertNotNull(m);
    return m;
  }
}
