package io.voiceagent.sip;

import static io.voiceagent.sip.SipTestSupport.WAIT;
import static io.voiceagent.sip.SipTestSupport.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voiceagent.core.call.CallId;
import io.voiceagent.core.call.EndReason;
import io.voiceagent.core.call.PhoneNumber;
import io.voiceagent.core.telephony.DialRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** SIP over TCP (against sipp) and TLS (user agent to user agent, with the JDK's TLS). */
class SipTransportTest {

  @Test void givenTcpTransport_whenCalleeAnswersAndHangsUp_thenRemoteHangup() throws Exception {
    FakeRtpEngine rtp = new FakeRtpEngine();
    try (Sipp callee = Sipp.uas("uas_answer_callee_bye.xml", Map.of(), 1, "-t", "t1")) {
      SipUserAgent ua = SipUserAgent.builder(SipTestSupport.config(callee.port).transport(SipTransport.TCP)
          .localPort(Sipp.freeUdpAndTcpPort()).build()).rtpEngine(rtp).start();
      try {
        RecordingListener l = new RecordingListener();
        ua.dial(new DialRequest(CallId.random(), new PhoneNumber("79123456789"), Duration.ofSeconds(60)), l);

        assertEquals(List.of("ringing", "answered"), l.awaitEvent("ended", WAIT));
        assertEquals(EndReason.REMOTE_HANGUP, l.end.reason());
        assertEquals(0, callee.awaitExit(WAIT), callee.trace());
        await("calls forgotten", WAIT, ua::activeCalls, n -> n == 0);
      } finally {
        ua.close();
      }
    }
    assertEquals(0, rtp.portsInUse());
  }

  /** A self-signed key pair whose certificate names {@code san}, trusted by both ends (JDK keytool). */
  private static Map<String, String> tlsProperties(String san) throws Exception {
    Path dir = Files.createTempDirectory("sip-tls");
    Path keystore = dir.resolve("sip.p12");
    Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genkeypair", "-alias", "sip", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=sip",
        "-ext", "san=" + san, "-validity", "2", "-storetype", "PKCS12", "-keystore", keystore.toString(),
        "-storepass", "changeit", "-keypass", "changeit").redirectErrorStream(true).start();
    assertEquals(true, keytool.waitFor(60, TimeUnit.SECONDS), "keytool finished");
    assertEquals(0, keytool.exitValue(), new String(keytool.getInputStream().readAllBytes()));
    return Map.of("javax.net.ssl.keyStore", keystore.toString(),
        "javax.net.ssl.keyStorePassword", "changeit", "javax.net.ssl.keyStoreType", "PKCS12",
        "javax.net.ssl.trustStore", keystore.toString(), "javax.net.ssl.trustStorePassword", "changeit",
        "javax.net.ssl.trustStoreType", "PKCS12");
  }

  @Test void givenTlsTransport_whenUserAgentCallsUserAgent_thenAnsweredAndHungUpOverTls() throws Exception {
    Map<String, String> tls = tlsProperties("ip:127.0.0.1");
    tls.forEach(System::setProperty);
    FakeRtpEngine rtp = new FakeRtpEngine();
    RecordingListener calleeSide = new RecordingListener();
    CallId inbound = CallId.random();
    SipUserAgent callee = null;
    SipUserAgent caller = null;
    try {
      callee = SipUserAgent.builder(SipConfig.builder("callee", "sip.test").bindAddress("127.0.0.1")
              .localPort(Sipp.freeUdpAndTcpPort()).transport(SipTransport.TLS).register(false)
              .sessionExpires(Duration.ZERO).build())
          .rtpEngine(rtp).inboundPolicy(invite -> InboundDecision.accept(inbound, calleeSide)).start();
      caller = SipUserAgent.builder(SipTestSupport.config(callee.localAddress().getPort())
          .transport(SipTransport.TLS).localPort(Sipp.freeUdpAndTcpPort()).build()).rtpEngine(rtp).start();
      RecordingListener callerSide = new RecordingListener();
      CallId outbound = CallId.random();
      caller.dial(new DialRequest(outbound, new PhoneNumber("79123456789"), Duration.ofSeconds(60)), callerSide);

      callerSide.awaitEvent("answered", WAIT);
      calleeSide.awaitEvent("answered", WAIT);
      caller.hangup(outbound);

      assertEquals(EndReason.LOCAL_HANGUP, callerSide.awaitEnd(WAIT).reason());
      assertEquals(EndReason.REMOTE_HANGUP, calleeSide.awaitEnd(WAIT).reason());
    } finally {
      if (caller != null) caller.close();
      if (callee != null) callee.close();
      tls.keySet().forEach(System::clearProperty);
    }
    assertEquals(0, rtp.portsInUse());
  }

  @Test void givenTlsCertificateForAnotherHost_whenDialing_thenTheCallFailsWithoutReachingTheCallee() throws Exception {
    Map<String, String> tls = tlsProperties("dns:other.example");
    tls.forEach(System::setProperty);
    FakeRtpEngine rtp = new FakeRtpEngine();
    RecordingListener calleeSide = new RecordingListener();
    SipUserAgent callee = null;
    SipUserAgent caller = null;
    try {
      callee = SipUserAgent.builder(SipConfig.builder("callee", "sip.test").bindAddress("127.0.0.1")
              .localPort(Sipp.freeUdpAndTcpPort()).transport(SipTransport.TLS).register(false)
              .sessionExpires(Duration.ZERO).build())
          .rtpEngine(rtp).inboundPolicy(invite -> InboundDecision.accept(CallId.random(), calleeSide)).start();
      caller = SipUserAgent.builder(SipTestSupport.config(callee.localAddress().getPort())
          .transport(SipTransport.TLS).localPort(Sipp.freeUdpAndTcpPort()).build()).rtpEngine(rtp).start();
      RecordingListener callerSide = new RecordingListener();
      caller.dial(new DialRequest(CallId.random(), new PhoneNumber("79123456789"), Duration.ofSeconds(60)), callerSide);

      var end = callerSide.awaitEnd(Duration.ofSeconds(60));
      assertEquals(EndReason.ERROR, end.reason());
      assertTrue(end.message().contains("other.example"), end.message());
      assertEquals(List.of("ended"), callerSide.all);
      assertEquals(0, callee.activeCalls(), "the INVITE never reached the callee");
      assertEquals(List.of(), calleeSide.all);
    } finally {
      if (caller != null) caller.close();
      if (callee != null) callee.close();
      tls.keySet().forEach(System::clearProperty);
    }
  }

  @Test void givenFirstPortOfTheRangeTaken_whenStarting_thenTheNextFreeOneIsUsed() throws Exception {
    try (java.net.DatagramSocket taken = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
      int first = taken.getLocalPort();
      SipUserAgent ua = SipUserAgent.builder(SipConfig.builder("u1", "sip.test").bindAddress("127.0.0.1")
          .localPorts(first, first + 20).register(false).build()).rtpEngine(new FakeRtpEngine()).start();
      try {
        int port = ua.localAddress().getPort();
        assertTrue(port > first && port <= first + 20, "bound " + port + " after the taken " + first);
      } finally {
        ua.close();
      }
      SipException e = org.junit.jupiter.api.Assertions.assertThrows(SipException.class,
          () -> SipUserAgent.builder(SipConfig.builder("u1", "sip.test").bindAddress("127.0.0.1").localPort(first)
              .register(false).build()).rtpEngine(new FakeRtpEngine()).start());
      assertTrue(e.getMessage().contains("no free local SIP port in " + first + ".." + first), e.getMessage());
    }
  }
}
