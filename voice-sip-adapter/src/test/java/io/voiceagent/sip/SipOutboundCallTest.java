package io.voiceagent.sip;

import static io.voiceagent.sip.SipTestSupport.WAIT;
import static io.voiceagent.sip.SipTestSupport.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voiceagent.core.call.CallId;
import io.voiceagent.core.call.EndReason;
import io.voiceagent.core.call.PhoneNumber;
import io.voiceagent.core.telephony.DialRequest;
import io.voiceagent.core.telephony.MediaStats;
import io.voiceagent.rtp.RtpConfig;
import io.voiceagent.rtp.RtpEngine;
import java.net.InetAddress;
import io.voiceagent.core.telephony.TelephonyEnd;
import io.voiceagent.rtp.MediaDirection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Outbound calls against a real sipp callee, one scenario per SIP flow the issue lists. */
class SipOutboundCallTest {
  private static final PhoneNumber NUMBER = new PhoneNumber("79123456789");

  // the real voice-rtp engine, behind a recorder of what the SIP side asks of it
  private final RtpEngine engine = RtpEngine.start(new RtpConfig(InetAddress.getLoopbackAddress(), 30000, 39998,
      Duration.ofSeconds(30)));
  private final FakeRtpEngine rtp = FakeRtpEngine.wrapping(engine);
  private Sipp sipp;
  private SipUserAgent ua;
  private final RecordingListener listener = new RecordingListener();
  private final CallId callId = CallId.random();

  @AfterEach void tearDown() throws Exception {
    try {
      if (ua != null) {
        await("calls forgotten", WAIT, ua::activeCalls, n -> n == 0);
        ua.close();
      }
      assertEquals(0, rtp.portsInUse(), "every RTP session is closed");
      assertTrue(listener.endedCount.get() <= 1, "ended at most once: " + listener.all);
    } finally {
      engine.close();
      if (sipp != null) {
        sipp.close();
        System.out.println(sipp.trace());
      }
    }
  }

  private void dialAgainst(String scenario) {
    dialAgainst(scenario, b -> b);
  }

  private void dialAgainst(String scenario, UnaryOperator<SipConfig.Builder> tweak) {
    sipp = Sipp.uas(scenario, Map.of());
    ua = SipUserAgent.builder(tweak.apply(SipTestSupport.config(sipp.port)).build()).rtpEngine(rtp).start();
    ua.dial(new DialRequest(callId, NUMBER, Duration.ofSeconds(60)), listener);
  }

  private void assertSippPassed() throws InterruptedException {
    assertEquals(0, sipp.awaitExit(WAIT), sipp.trace());
  }

  /** The call's RTP after it ended: we always send (silence at least); {@code received} when sipp played. */
  private MediaStats assertPackets(boolean received) {
    MediaStats s = ua.mediaStats(callId).orElseThrow();
    assertTrue(s.packetsSent() > 0, "we sent RTP: " + s);
    if (received) assertTrue(s.packetsReceived() > 0, "we received RTP: " + s);
    return s;
  }

  /** Attaches a capture to the answered call and checks that the callee's 1 kHz tone is what we decode. */
  private void assertCalleeTone() throws InterruptedException {
    ToneCapture capture = new ToneCapture(4000);
    listener.media.attach(capture);
    await("half a second of the callee's tone", WAIT, capture::filled, n -> n >= 4000);
    double at1k = capture.power(1000);
    for (double other : new double[] {400, 700, 1400, 2500}) {
      assertTrue(at1k > 100 * capture.power(other), "1 kHz dominates over " + other + " Hz");
    }
  }

  private String mediaTarget() {
    return "127.0.0.1:" + sipp.mediaPort;
  }

  @Test void givenCalleeAnswersAndPlaysAudio_whenWeHangUp_thenRingingAnsweredByeAndLocalHangup() throws Exception {
    dialAgainst("uas_answer_wait_bye.xml");

    assertEquals(List.of("ringing"), listener.awaitEvent("answered", WAIT));
    assertSame(rtp.last(), listener.media, "the answered call's media is the RTP session");
    assertEquals(List.of(mediaTarget() + " PCMA 101"), rtp.last().starts());
    assertCalleeTone();
    ua.hangup(callId);
    TelephonyEnd end = listener.awaitEnd(WAIT);

    assertEquals(EndReason.LOCAL_HANGUP, end.reason());
    assertTrue(rtp.last().closed);
    assertPackets(true);
    assertSippPassed();
  }

  @Test void givenCalleeRingsThenBusy_whenDialing_thenRingingThenBusy486() throws Exception {
    dialAgainst("uas_180_486.xml");

    assertEquals(List.of("ringing"), listener.awaitEvent("ended", WAIT));
    assertEquals(new TelephonyEnd(EndReason.BUSY, 486, null), listener.end);
    assertSippPassed();
  }

  @Test void givenEarlyMediaThenAnswer_whenDialing_thenEarlyMediaThenAnsweredWithTheAnswersCodec() throws Exception {
    dialAgainst("uas_183_sdp_200.xml");

    assertEquals(List.of("early_media"), listener.awaitEvent("answered", WAIT));
    assertEquals(List.of(mediaTarget() + " PCMA 101", mediaTarget() + " PCMU 101"), rtp.last().starts(),
        "media starts on 183 and is re-targeted to the 200's SDP");
    TelephonyEnd end = listener.awaitEnd(WAIT);

    assertEquals(EndReason.REMOTE_HANGUP, end.reason());
    MediaStats stats = assertPackets(true); // sipp played its tone during the 183
    assertEquals("PCMU", stats.codec());
    assertSippPassed();
  }

  @Test void givenEarlyMediaThen480_whenDialing_thenEarlyMediaThenNoAnswer() throws Exception {
    dialAgainst("uas_183_480.xml");

    assertEquals(List.of("early_media"), listener.awaitEvent("ended", WAIT));
    assertEquals(new TelephonyEnd(EndReason.NO_ANSWER, 480, null), listener.end);
    assertSippPassed();
  }

  @Test void givenAnsweredCall_whenCalleeHangsUp_thenRemoteHangup() throws Exception {
    dialAgainst("uas_answer_callee_bye.xml");

    assertEquals(List.of("ringing"), listener.awaitEvent("answered", WAIT));
    assertCalleeTone();
    assertEquals(List.of(), listener.awaitEvent("ended", WAIT));
    assertEquals(List.of("ringing", "answered", "ended"), listener.all);
    assertEquals(EndReason.REMOTE_HANGUP, listener.end.reason());
    assertEquals("PCMA", assertPackets(true).codec());
    assertSippPassed();
  }

  @Test void givenCalleeNeverAnswers_whenCoreHangsUpAtRingTimeout_thenCancelAnd487() throws Exception {
    dialAgainst("uas_ring_cancel.xml");

    listener.awaitEvent("ringing", WAIT);
    ua.hangup(callId); // what CallService does when RING_TIMEOUT_S passes
    TelephonyEnd end = listener.awaitEnd(WAIT);

    assertEquals(new TelephonyEnd(EndReason.LOCAL_HANGUP, 487, null), end);
    assertSippPassed();
  }

  @Test void givenAnswerCrossesOurCancel_whenHangingUpWhileRinging_thenAckAndByeAndLocalHangup() throws Exception {
    dialAgainst("uas_200_crosses_cancel.xml");

    listener.awaitEvent("ringing", WAIT);
    ua.hangup(callId);
    TelephonyEnd end = listener.awaitEnd(WAIT);

    assertEquals(EndReason.LOCAL_HANGUP, end.reason());
    assertTrue(!listener.all.contains("answered"), "a 200 after our CANCEL never answers the call: " + listener.all);
    assertSippPassed();
  }

  @Test void givenAnswerWithoutCommonCodec_whenDialing_thenAckByeAndFailedWithMessage() throws Exception {
    dialAgainst("uas_no_common_codec.xml");

    TelephonyEnd end = listener.awaitEnd(WAIT);

    assertEquals(EndReason.ERROR, end.reason());
    assertNotNull(end.message());
    assertTrue(end.message().contains("no common codec"), end.message());
    assertTrue(!listener.all.contains("answered"), listener.all.toString());
    assertSippPassed();
  }

  @Test void givenTwoForksAnswer_whenDialing_thenSecondForkGetsAckAndByeAndFirstStays() throws Exception {
    dialAgainst("uas_fork_200.xml");

    assertEquals(List.of("ringing", "answered"), listener.awaitEvent("ended", WAIT));
    assertEquals(EndReason.REMOTE_HANGUP, listener.end.reason());
    assertPackets(false);
    assertSippPassed();
  }

  @Test void givenProxyChallenges407_whenDialingAndHangingUp_thenInviteAckAndByeCarryVerifiedCredentials()
      throws Exception {
    dialAgainst("uas_invite_407.xml");

    listener.awaitEvent("answered", WAIT);
    assertCalleeTone();
    ua.hangup(callId);
    TelephonyEnd end = listener.awaitEnd(WAIT);

    assertEquals(EndReason.LOCAL_HANGUP, end.reason());
    assertPackets(true);
    assertSippPassed();
  }

  @Test void givenCalleeReInvites_whenHoldingAndChangingCodec_thenAnsweredAndMediaFollows() throws Exception {
    dialAgainst("uas_reinvite.xml");

    listener.awaitEvent("answered", WAIT);
    TelephonyEnd end = listener.awaitEnd(WAIT);

    assertEquals(EndReason.REMOTE_HANGUP, end.reason());
    var s = rtp.last();
    assertTrue(s.directions.contains(MediaDirection.SENDONLY), "hold reached the media: " + s.directions);
    assertEquals(MediaDirection.SENDRECV, s.directions.get(s.directions.size() - 1));
    assertEquals(mediaTarget() + " PCMU 101", s.starts().get(s.starts().size() - 1), "codec change applied");
    assertEquals("PCMU", assertPackets(false).codec());
    assertSippPassed();
  }

  @Test void givenSessionTimerWithUsAsRefresher_whenCallLasts_thenWeRefreshWithReInvite() throws Exception {
    dialAgainst("uas_session_timer.xml", b -> b.sessionExpires(Duration.ofSeconds(1800)));

    listener.awaitEvent("answered", WAIT);
    TelephonyEnd end = listener.awaitEnd(WAIT);

    assertEquals(EndReason.REMOTE_HANGUP, end.reason());
    assertNull(end.message());
    assertPackets(false);
    assertSippPassed();
  }

  @Test void givenFarEndIsRefresherButNeverRefreshes_whenSessionExpires_thenByeAndError() throws Exception {
    dialAgainst("uas_session_expires.xml", b -> b.sessionExpires(Duration.ofSeconds(1800)));

    listener.awaitEvent("answered", WAIT);
    TelephonyEnd end = listener.awaitEnd(WAIT);

    assertEquals(EndReason.ERROR, end.reason());
    assertTrue(end.message().contains("session expired"), end.message());
    assertPackets(false);
    assertSippPassed();
  }

  @Test void givenPublicAddress_whenDialing_thenContactAndSdpCarryIt() throws Exception {
    dialAgainst("uas_public_address.xml", b -> b.publicAddress("203.0.113.7:6000"));

    assertEquals(List.of("ringing"), listener.awaitEvent("ended", WAIT));
    assertEquals(new TelephonyEnd(EndReason.BUSY, 486, null), listener.end);
    assertSippPassed();
  }
}
