package io.voiceagent.sip;

import static io.voiceagent.sip.SipTestSupport.WAIT;
import static io.voiceagent.sip.SipTestSupport.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voiceagent.core.call.CallId;
import io.voiceagent.core.call.EndReason;
import io.voiceagent.core.telephony.MediaStats;
import io.voiceagent.core.telephony.TelephonyEnd;
import io.voiceagent.rtp.RtpConfig;
import io.voiceagent.rtp.RtpEngine;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Inbound INVITEs (the Exolve callback leg, the sandbox callee), OPTIONS and stray requests, from real sipp. */
class SipInboundTest {
  private final RtpEngine engine = RtpEngine.start(new RtpConfig(InetAddress.getLoopbackAddress(), 30000, 39998,
      Duration.ofSeconds(30)));
  private final FakeRtpEngine rtp = FakeRtpEngine.wrapping(engine);
  private final RecordingListener listener = new RecordingListener();
  private final CallId callId = CallId.random();
  private SipUserAgent ua;
  private Sipp sipp;

  @AfterEach void tearDown() throws Exception {
    try {
      if (ua != null) {
        await("calls forgotten", WAIT, ua::activeCalls, n -> n == 0);
        await("stack dialogs gone", WAIT, ua::stackDialogs, n -> n == 0);
        ua.close();
      }
      assertEquals(0, rtp.portsInUse(), "every RTP session is closed");
    } finally {
      engine.close();
      if (sipp != null) {
        sipp.close();
        System.out.println(sipp.trace());
      }
    }
  }

  private SipUserAgent start(InboundCallPolicy policy) {
    SipConfig config = SipConfig.builder(SipTestSupport.USER, "sip.test")
        .bindAddress("127.0.0.1").localPort(Sipp.freeUdpPort()).register(false).sessionExpires(Duration.ZERO).build();
    SipUserAgent.Builder b = SipUserAgent.builder(config).rtpEngine(rtp);
    if (policy != null) b.inboundPolicy(policy);
    ua = b.start();
    return ua;
  }

  private Sipp call(String scenario) {
    sipp = Sipp.uac(scenario, "127.0.0.1:" + ua.localAddress().getPort(), Map.of(), 1, "-s", SipTestSupport.USER);
    return sipp;
  }

  @Test void givenNoPolicy_whenStrangerInvites_thenDeclined603AndNothingKept() throws Exception {
    start(null);

    call("uac_invite_rejected.xml");

    assertEquals(0, sipp.awaitExit(WAIT), sipp.trace());
    assertTrue(sipp.messages().contains("SIP/2.0 603"), "603 Decline");
    assertEquals(1, ua.rejectedInvites());
    assertEquals(0, ua.activeCalls());
    assertEquals(0, rtp.sessions.size(), "no media was opened for a rejected INVITE");
  }

  @Test void givenPolicyRejecting486_whenInvite_thenBusyAndPolicySawTheInvite() throws Exception {
    AtomicReference<InboundInvite> seen = new AtomicReference<>();
    start(invite -> {
      seen.set(invite);
      return InboundDecision.reject(486);
    });

    call("uac_invite_rejected.xml");

    assertEquals(0, sipp.awaitExit(WAIT), sipp.trace());
    assertTrue(sipp.messages().contains("SIP/2.0 486"), "486 Busy Here");
    assertEquals("79990001122", seen.get().fromUser());
    assertEquals(SipTestSupport.USER, seen.get().requestUser());
  }

  @Test void givenPolicyAccepts_whenCallerInvitesAndHangsUp_thenAnsweredWithCallersCodecAndRemoteHangup()
      throws Exception {
    AtomicReference<InboundInvite> seen = new AtomicReference<>();
    start(invite -> {
      seen.set(invite);
      return InboundDecision.accept(callId, listener);
    });

    call("uac_invite_answered.xml");

    assertEquals(List.of(), listener.awaitEvent("answered", WAIT));
    ToneCapture capture = new ToneCapture(4000);
    listener.media.attach(capture);
    await("half a second of the caller's tone", WAIT, capture::filled, n -> n >= 4000);
    for (double other : new double[] {400, 700, 1400, 2500}) {
      assertTrue(capture.power(1000) > 100 * capture.power(other), "1 kHz dominates over " + other + " Hz");
    }
    assertEquals(List.of(), listener.awaitEvent("ended", WAIT));
    MediaStats stats = ua.mediaStats(callId).orElseThrow();
    assertEquals("PCMU", stats.codec());
    assertTrue(stats.packetsSent() > 0 && stats.packetsReceived() > 0, "RTP both ways: " + stats);
    assertEquals(EndReason.REMOTE_HANGUP, listener.end.reason());
    assertEquals(0, sipp.awaitExit(WAIT), sipp.trace());
    InboundInvite invite = seen.get();
    assertNotNull(invite);
    assertEquals("79990001122", invite.fromUser());
    assertEquals(SipTestSupport.USER, invite.requestUser());
    assertEquals("cb-42", invite.header("X-Callback-Id"));
    assertTrue(invite.fromUri().startsWith("sip:79990001122@127.0.0.1"), invite.fromUri());
    assertSame(rtp.last(), listener.media);
    assertEquals(List.of("127.0.0.1:" + sipp.mediaPort + " PCMU 101"), rtp.last().starts(),
        "the caller listed PCMU first: the first common codec wins");
  }

  @Test void givenAcceptedInboundCall_whenWeHangUp_thenByeAndLocalHangup() throws Exception {
    start(invite -> InboundDecision.accept(callId, listener));

    call("uac_invite_hangup_by_callee.xml");
    listener.awaitEvent("answered", WAIT);
    ua.hangup(callId);

    assertEquals(EndReason.LOCAL_HANGUP, listener.awaitEnd(WAIT).reason());
    assertEquals(0, sipp.awaitExit(WAIT), sipp.trace());
  }

  @Test void givenPolicyRingsFirst_whenCallerCancels_thenRemoteHangup487() throws Exception {
    start(invite -> InboundDecision.accept(callId, listener, Duration.ofSeconds(60)));

    call("uac_invite_cancel.xml");
    TelephonyEnd end = listener.awaitEnd(WAIT);

    assertEquals(new TelephonyEnd(EndReason.REMOTE_HANGUP, 487, null), end);
    assertEquals(List.of("ended"), listener.all, "never answered");
    assertEquals(0, sipp.awaitExit(WAIT), sipp.trace());
  }

  @Test void givenOptions_whenSent_thenAnswered200WithAllow() throws Exception {
    start(null);

    call("uac_options.xml");

    assertEquals(0, sipp.awaitExit(WAIT), sipp.trace());
  }

  @Test void givenByeAndCancelForUnknownDialog_whenSent_thenBoth481() throws Exception {
    start(null);

    call("uac_unknown_dialog.xml");

    assertEquals(0, sipp.awaitExit(WAIT), sipp.trace());
    assertEquals(0, ua.activeCalls());
  }
}
