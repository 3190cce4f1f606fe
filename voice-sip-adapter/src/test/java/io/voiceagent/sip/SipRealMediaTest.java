package io.voiceagent.sip;

import static io.voiceagent.sip.SipTestSupport.WAIT;
import static io.voiceagent.sip.SipTestSupport.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voiceagent.core.call.CallId;
import io.voiceagent.core.call.EndReason;
import io.voiceagent.core.call.PhoneNumber;
import io.voiceagent.core.telephony.DialRequest;
import io.voiceagent.core.telephony.MediaStats;
import io.voiceagent.core.telephony.TelephonyEnd;
import io.voiceagent.rtp.RtpConfig;
import io.voiceagent.rtp.RtpEngine;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Calls against sipp with the real voice-rtp engine: RTP flows both ways and the 1 kHz tone sipp plays is
 * what we decode.
 */
class SipRealMediaTest {
  private RtpEngine engine;
  private SipUserAgent ua;
  private Sipp sipp;
  private final RecordingListener listener = new RecordingListener();
  private final CallId callId = CallId.random();

  @BeforeEach void startEngine() throws Exception {
    engine = RtpEngine.start(new RtpConfig(InetAddress.getLoopbackAddress(), 30000, 39998, Duration.ofSeconds(30)));
  }

  @AfterEach void tearDown() throws Exception {
    try {
      if (ua != null) {
        await("calls forgotten", WAIT, ua::activeCalls, n -> n == 0);
        ua.close();
      }
      assertEquals(0, engine.portsInUse(), "RTP ports given back");
    } finally {
      engine.close();
      if (sipp != null) {
        sipp.close();
        System.out.println(sipp.trace());
      }
    }
  }

  private void dialAgainst(String scenario) {
    sipp = Sipp.uas(scenario, Map.of());
    ua = SipUserAgent.builder(SipTestSupport.config(sipp.port).build()).rtpEngine(engine).start();
    ua.dial(new DialRequest(callId, new PhoneNumber("79123456789"), Duration.ofSeconds(60)), listener);
  }

  private static void assertTone1kHz(ToneCapture capture) {
    double at1k = capture.power(1000);
    for (double other : new double[] {300, 500, 700, 1400, 2000, 3000}) {
      double p = capture.power(other);
      assertTrue(at1k > 100 * p, "1 kHz dominates: power at 1000 Hz " + at1k + " vs " + other + " Hz " + p);
    }
  }

  @Test void givenCalleePlaysTone_whenAnswered_thenPacketsBothWaysAndWeDecodeItsFrequency() throws Exception {
    dialAgainst("uas_answer_wait_bye.xml");
    assertEquals(List.of("ringing"), listener.awaitEvent("answered", WAIT));
    ToneCapture capture = new ToneCapture(8000);
    listener.media.attach(capture);

    await("a second of the callee's audio", WAIT, capture::filled, n -> n >= 8000);
    MediaStats stats = ua.mediaStats(callId).orElseThrow();
    assertTone1kHz(capture);
    assertEquals("PCMA", stats.codec());
    assertEquals("127.0.0.1:" + sipp.mediaPort, stats.remote());
    assertTrue(stats.packetsReceived() >= 50, "received " + stats.packetsReceived());
    assertTrue(stats.packetsSent() >= 50, "sent " + stats.packetsSent());

    ua.hangup(callId);
    assertEquals(EndReason.LOCAL_HANGUP, listener.awaitEnd(WAIT).reason());
    assertEquals(0, sipp.awaitExit(WAIT), sipp.trace());
  }

  @Test void givenEarlyMediaWithAudio_whenRinging_thenMediaIsCountedBeforeTheAnswer() throws Exception {
    dialAgainst("uas_183_sdp_200.xml");
    listener.awaitEvent("early_media", WAIT);

    await("early media received", WAIT, () -> ua.mediaStats(callId).map(MediaStats::packetsReceived).orElse(0L)
        + (listener.all.contains("answered") ? 1_000_000 : 0), n -> n >= 5);
    assertTrue(!listener.all.contains("answered"), "counted during early media, before any answer: " + listener.all);
    assertTrue(ua.mediaStats(callId).orElseThrow().packetsSent() > 0, "silence goes out on 183 to open NAT");

    listener.awaitEvent("answered", WAIT);
    assertEquals(EndReason.REMOTE_HANGUP, listener.awaitEnd(WAIT).reason());
    assertEquals(0, sipp.awaitExit(WAIT), sipp.trace());
  }

  @Test void givenCalleeReInvitesToPcmu_whenMediaFlows_thenTheSessionFollowsTheNewCodec() throws Exception {
    dialAgainst("uas_reinvite.xml");
    listener.awaitEvent("answered", WAIT);
    assertEquals("PCMA", ua.mediaStats(callId).orElseThrow().codec());

    await("codec switched by the re-INVITE", WAIT,
        () -> ua.mediaStats(callId).map(MediaStats::codec).orElse("ended"), c -> !c.equals("PCMA"));
    assertEquals("PCMU", ua.mediaStats(callId).orElseThrow().codec());
    assertEquals(EndReason.REMOTE_HANGUP, listener.awaitEnd(WAIT).reason());
    assertTrue(ua.mediaStats(callId).orElseThrow().packetsSent() > 0, "statistics kept after the end");
    assertEquals(0, sipp.awaitExit(WAIT), sipp.trace());
  }

  @Test void givenCalleeSendsNoRtp_whenMediaTimeoutPasses_thenByeAndMediaTimeout() throws Exception {
    engine.close();
    engine = RtpEngine.start(new RtpConfig(InetAddress.getLoopbackAddress(), 30000, 39998, Duration.ofSeconds(2)));
    dialAgainst("uas_answer_quick.xml"); // answers, sends no RTP, waits for our BYE

    listener.awaitEvent("answered", WAIT);
    TelephonyEnd end = listener.awaitEnd(WAIT);

    assertEquals(EndReason.MEDIA_TIMEOUT, end.reason());
    assertEquals(0, ua.mediaStats(callId).orElseThrow().packetsReceived());
    assertEquals(0, sipp.awaitExit(WAIT), sipp.trace());
  }
}
