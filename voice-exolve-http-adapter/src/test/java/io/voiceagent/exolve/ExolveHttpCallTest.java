package io.voiceagent.exolve;

import io.voiceagent.sip.Sipp;

import static io.voiceagent.exolve.Harness.WAIT;
import static io.voiceagent.exolve.Harness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.voiceagent.core.call.CallId;
import io.voiceagent.core.call.EndReason;
import io.voiceagent.core.call.TelephonyUnavailableException;
import io.voiceagent.core.telephony.MediaStats;
import io.voiceagent.core.telephony.TelephonyEnd;
import io.voiceagent.core.telephony.TelephonyHealth;
import java.util.List;
import java.util.Optional;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Whole calls: the port places them against a real HTTP server playing Exolve's API, and sipp plays Exolve's SIP
 * side, bringing each call's leg to our user agent as an inbound INVITE.
 */
class ExolveHttpCallTest {
  private final ObjectMapper json = new ObjectMapper();
  private final Harness h = new Harness();

  @AfterEach void tearDown() {
    h.close();
  }

  private String externalId(RecordingListener l) throws InterruptedException {
    l.awaitEvent("external_id:", WAIT);
    return l.externalId;
  }

  private JsonNode body(String method) throws Exception {
    return json.readTree(h.api.take(method, WAIT).getBody().utf8());
  }

  @Test void givenCalleeFirst_whenOurLegArrives_thenAnsweredWithItsAudioAndTheCalleesHangupEndsIt() throws Exception {
    h.start();
    RecordingListener l = new RecordingListener();
    CallId id = h.dial(l, 60);
    JsonNode sent = body("MakeCallback");
    assertEquals(id.value(), sent.get("request_description").asText());
    String callId = externalId(l);

    Sipp sipp = h.leg("leg_answered_then_bye.xml", Harness.CALLEE, "none");

    l.awaitEvent("answered", WAIT);
    assertEquals(List.of("external_id:" + callId, "answered"), l.all, "answered is the first news after the call_id");
    assertNotNull(l.media);
    await("the callee's audio arrives on our leg", () ->
        h.port.mediaStats(id).map(MediaStats::packetsReceived).orElse(0L) > 10);
    TelephonyEnd end = l.awaitEnd(WAIT);
    assertEquals(EndReason.REMOTE_HANGUP, end.reason());
    assertEquals(0, sipp.awaitExit(WAIT), sipp.trace());
    assertEquals(1, l.count("ended"));
    assertTrue(l.thread.startsWith("exolve-http"), "events come on the adapter's thread, not " + l.thread);
    await("nothing of the call is left", () -> h.port.liveCalls() == 0);
  }

  @Test void givenAnsweredCall_whenWeHangUp_thenByeOnOurLegAndLocalHangup() throws Exception {
    h.start();
    RecordingListener l = new RecordingListener();
    CallId id = h.dial(l, 60);
    externalId(l);
    Sipp sipp = h.leg("leg_answered_wait_bye.xml", Harness.CALLEE, "none");
    l.awaitEvent("answered", WAIT);
    h.awaitAudio(id);

    h.port.hangup(id);

    assertEquals(EndReason.LOCAL_HANGUP, l.awaitEnd(WAIT).reason());
    assertEquals(0, sipp.awaitExit(WAIT), "sipp got our BYE: " + sipp.trace());
  }

  @Test void givenHangupBeforeOurLeg_whenTheLegArrivesLater_thenItIsRejectedAndTheMessageSaysWhy() throws Exception {
    h.start();
    RecordingListener l = new RecordingListener();
    CallId id = h.dial(l, 60);
    String callId = externalId(l);

    h.port.hangup(id);

    // The hang-up is delivered before hangup() returns, so the API's answer can carry the message.
    assertEquals("ended", l.all.get(l.all.size() - 1), "ended has arrived when hangup returns: " + l.all);
    TelephonyEnd end = l.end;
    assertEquals(EndReason.LOCAL_HANGUP, end.reason());
    assertTrue(end.message().startsWith("the hang-up could not be sent to Exolve: its HTTP API has no hang-up"),
        end.message());
    assertEquals(id, h.port.awaitingLeg(), "the slot stays closed: the leg may still come");

    Sipp late = h.leg("leg_rejected.xml", Harness.CALLEE, "none");
    assertEquals(0, late.awaitExit(WAIT), late.trace());
    assertTrue(late.messages().contains("SIP/2.0 603"), late.trace());
    assertEquals(id, h.port.awaitingLeg(), "an INVITE that does not name the call frees nothing");

    h.event("{\"type\": \"d\", \"call_id\": " + callId + ", \"cause_code\": \"16\"}");
    await("Exolve's end event frees the slot", () -> h.port.awaitingLeg() == null);
    assertEquals(1, l.count("ended"), "still exactly one end: " + l.all);
  }

  @Test void givenNoCallAwaitingALeg_whenAnInviteArrives_thenRejected404() throws Exception {
    h.start();

    Sipp sipp = h.leg("leg_rejected.xml", Harness.CALLEE, "none");

    assertEquals(0, sipp.awaitExit(WAIT), sipp.trace());
    assertTrue(sipp.messages().contains("SIP/2.0 404"), sipp.trace());
    assertEquals(0, h.port.userAgent().activeCalls());
  }

  @Test void givenAnInviteFromAnAddressThatIsNotTheProxy_whenItArrives_thenRejected403AndTheCallStillWaits()
      throws Exception {
    h.with("EXOLVE_SIP_PROXY", "127.0.0.2:" + h.sippPort).start();
    RecordingListener l = new RecordingListener();
    CallId id = h.dial(l, 60);
    externalId(l);

    Sipp sipp = h.leg("leg_rejected.xml", Harness.CALLEE, "none");

    assertEquals(0, sipp.awaitExit(WAIT), sipp.trace());
    assertTrue(sipp.messages().contains("SIP/2.0 403"), sipp.trace());
    assertEquals(id, h.port.awaitingLeg());
    assertFalse(l.all.contains("answered"));
    assertEquals("1", h.port.health().details().get("legs_rejected"));
  }

  @Test void givenACallAwaitingItsLeg_whenASecondIsDialled_thenItIsPlacedOnlyOnceTheFirstLegHasArrived()
      throws Exception {
    h.start();
    RecordingListener first = new RecordingListener();
    RecordingListener second = new RecordingListener();
    CallId a = h.dial(first, 60);
    assertEquals(a.value(), body("MakeCallback").get("request_description").asText());
    externalId(first);

    CallId b = h.dial(second, 60);

    assertEquals(1, h.port.queued(), "the second call waits");
    assertEquals(a, h.port.awaitingLeg());
    assertEquals(0, h.api.pending("MakeCallback"), "and Exolve has not been asked for it");
    Sipp sipp = h.leg("leg_answered_wait_bye.xml", Harness.CALLEE, "none");
    first.awaitEvent("answered", WAIT);
    assertEquals(b.value(), body("MakeCallback").get("request_description").asText(), "now the second is placed");
    externalId(second);
    assertEquals(b, h.port.awaitingLeg());
    h.awaitAudio(a);
    h.port.hangup(a);
    first.awaitEnd(WAIT);
    assertEquals(0, sipp.awaitExit(WAIT), sipp.trace());
  }

  @Test void givenAFullQueue_whenDialled_thenTelephonyUnavailableNamingTheRule() throws Exception {
    h.with("EXOLVE_QUEUE_MAX", "1").start();
    h.dial(new RecordingListener(), 60);
    h.dial(new RecordingListener(), 60);

    TelephonyUnavailableException e = assertThrows(TelephonyUnavailableException.class,
        () -> h.dial(new RecordingListener(), 60));

    assertTrue(e.getMessage().contains("EXOLVE_QUEUE_MAX") && e.getMessage().contains("one Exolve call is placed at a"
        + " time"), e.getMessage());
  }

  @Test void givenMatchHeader_whenTwoCallsAwait_thenBothArePlacedAndTheLegGoesToTheCallItNames() throws Exception {
    h.with("EXOLVE_LEG_MATCH_HEADER", "X-Leg-Info").start();
    RecordingListener la = new RecordingListener();
    RecordingListener lb = new RecordingListener();
    CallId a = h.dial(la, 60);
    CallId b = h.dial(lb, 60);
    body("MakeCallback");
    body("MakeCallback");
    externalId(la);
    String bCallId = externalId(lb);

    Sipp unnamed = h.leg("leg_rejected.xml", Harness.CALLEE, "none");
    assertEquals(0, unnamed.awaitExit(WAIT), unnamed.trace());
    assertTrue(unnamed.messages().contains("SIP/2.0 404"), "a leg naming no call is refused: " + unnamed.trace());

    Sipp named = h.leg("leg_answered_wait_bye.xml", Harness.CALLEE, "exolve-call;id=" + bCallId);
    lb.awaitEvent("answered", WAIT);
    assertFalse(la.all.contains("answered"), "call A did not get B's leg");
    h.awaitAudio(b);
    h.port.hangup(b);
    lb.awaitEnd(WAIT);
    assertEquals(0, named.awaitExit(WAIT), named.trace());
    h.port.hangup(a);
    assertEquals(EndReason.LOCAL_HANGUP, la.awaitEnd(WAIT).reason());
  }

  @Test void givenAnEndedCallNamedByALateLeg_whenItArrives_thenRejectedAndTheQueuedCallIsPlaced() throws Exception {
    h.start();
    RecordingListener la = new RecordingListener();
    CallId a = h.dial(la, 60);
    String aCallId = externalId(la);
    h.port.hangup(a);
    RecordingListener lb = new RecordingListener();
    CallId b = h.dial(lb, 60);
    body("MakeCallback");
    assertEquals(1, h.port.queued());

    Sipp late = h.leg("leg_rejected.xml", Harness.CALLEE, "call_id=" + aCallId);

    assertEquals(0, late.awaitExit(WAIT), late.trace());
    assertTrue(late.messages().contains("SIP/2.0 603"), late.trace());
    assertEquals(b.value(), body("MakeCallback").get("request_description").asText(),
        "a leg that names the ended call frees its slot");
    h.port.hangup(b);
    lb.awaitEnd(WAIT);
  }

  @Test void givenAgentFirst_whenOurLegIsUp_thenRingingAndAnsweredOnlyWhenAnEventSaysTheCalleeAnswered()
      throws Exception {
    h.with("EXOLVE_CALLBACK_ORDER", "agent_first").start();
    RecordingListener l = new RecordingListener();
    CallId id = h.dial(l, 60);
    JsonNode sent = body("MakeCallback");
    assertEquals(Harness.SIP_USER, sent.at("/line_1/destinations/0/number").asText(), "our account rings first");
    String callId = externalId(l);
    Sipp sipp = h.leg("leg_answered_wait_bye.xml", Harness.SOURCE, "none");

    l.awaitEvent("ringing", WAIT);
    await("our leg is up", () -> h.port.legUp(id));
    assertFalse(l.all.contains("answered"), "our own leg's answer says nothing about the callee: " + l.all);
    h.event("{\"type\": \"s\", \"call_id\": \"" + callId + "\"}");
    l.awaitEvent("answered", WAIT);
    h.awaitAudio(id);
    h.event("{\"type\": \"d\", \"call_id\": \"" + callId + "\", \"cause_code\": 16, \"duration\": 25000}");

    assertEquals(EndReason.REMOTE_HANGUP, l.awaitEnd(WAIT).reason());
    assertEquals(0, sipp.awaitExit(WAIT), "Exolve's end event BYEs our leg: " + sipp.trace());
  }

  @Test void givenAgentFirst_whenExolveDropsOurLegBeforeTheCalleeAnswers_thenTheEndEventsCauseDecides()
      throws Exception {
    h.with("EXOLVE_CALLBACK_ORDER", "agent_first").with("EXOLVE_CAUSE_WAIT_MS", "60000").start();
    RecordingListener l = new RecordingListener();
    CallId id = h.dial(l, 60);
    String callId = externalId(l);
    Sipp sipp = h.leg("leg_answered_then_bye.xml", Harness.SOURCE, "none");
    l.awaitEvent("ringing", WAIT);
    assertEquals(0, sipp.awaitExit(WAIT), sipp.trace());
    await("our leg has ended", () -> h.port.userAgent().activeCalls() == 0);
    assertFalse(l.all.contains("ended"), "the call waits for the event that says why: " + l.all);

    h.event("{\"type\": \"d\", \"call_id\": " + callId + ", \"cause_code\": \"17\"}");

    TelephonyEnd end = l.awaitEnd(WAIT);
    assertEquals(EndReason.BUSY, end.reason());
    assertFalse(l.all.contains("answered"));
    await("forgotten", () -> h.port.liveCalls() == 0);
    assertNull(h.port.awaitingLeg());
    assertTrue(h.port.mediaStats(id).isPresent(), "our leg's statistics stay readable");
  }

  @Test void givenMakeCall_whenNoLegArrives_thenTheCallFailsSayingExactlyThat() throws Exception {
    h.with("EXOLVE_HTTP_METHOD", "MakeCall").with("EXOLVE_NUMBER_CODE", null)
        .with("EXOLVE_CALLBACK_RESOURCE_ID", null).start();
    h.api.enqueue("MakeCall", FakeExolve.json(200, "{\"external_id\": 777}"));
    RecordingListener l = new RecordingListener();
    h.dial(l, 3);

    assertEquals(json.readTree("{\"source\": \"79990000001\", \"destination\": \"79161234567\"}"), body("MakeCall"));
    assertEquals("777", externalId(l));
    TelephonyEnd end = l.awaitEnd(WAIT);

    assertEquals(EndReason.ERROR, end.reason());
    assertEquals("EXOLVE_HTTP_METHOD=MakeCall is experimental: no audio leg reached our SIP user agent within 3 s"
        + " (call_id 777); MakeCall is not publicly documented and no audio path is known for it: use MakeCallback",
        end.message());
  }

  @Test void givenABadKey_whenDialled_thenTheCallFailsWithTheReasonAndTheSlotIsFree() throws Exception {
    h.start();
    h.api.enqueue("MakeCallback", FakeExolve.json(401, "{\"message\": \"malformed token\"}"));
    RecordingListener l = new RecordingListener();
    h.dial(l, 60);

    TelephonyEnd end = l.awaitEnd(WAIT);

    assertEquals(EndReason.ERROR, end.reason());
    assertTrue(end.message().contains("EXOLVE_API_KEY"), end.message());
    await("nothing rang, so nothing waits", () -> h.port.awaitingLeg() == null && h.port.liveCalls() == 0);
  }

  @Test void givenA500_whenDialled_thenTheCallFailsAndItsSlotStaysClosedWhileALegMayCome() throws Exception {
    h.with("EXOLVE_POLL_INTERVAL_S", "0").start();
    h.api.enqueue("MakeCallback", new MockResponse.Builder().code(503).body("upstream unavailable").build());
    RecordingListener l = new RecordingListener();
    CallId id = h.dial(l, 60);

    TelephonyEnd end = l.awaitEnd(WAIT);

    assertTrue(end.message().contains("HTTP 503") && end.message().contains("may have been placed"), end.message());
    assertEquals(id, h.port.awaitingLeg(), "a 5xx may have placed the call: its leg could still come");
    assertEquals(1, h.api.server.getRequestCount(), "not retried");
  }

  @Test void givenNoEvents_whenPolling_thenGetInfoEndsTheCallAsBusy() throws Exception {
    h.with("EXOLVE_POLL_INTERVAL_S", "1").start();
    h.api.enqueue("GetInfo", FakeExolve.json(200, "{\"status\": \"busy\"}"));
    RecordingListener l = new RecordingListener();
    h.dial(l, 60);
    String callId = externalId(l);

    assertEquals(EndReason.BUSY, l.awaitEnd(WAIT).reason());
    JsonNode asked = body("GetInfo");
    assertEquals(callId, asked.get("call_id").asText());
    assertTrue(asked.get("call_id").isIntegralNumber());
    await("slot free", () -> h.port.awaitingLeg() == null);
  }

  @Test void givenUnknownPollStatus_whenPolled_thenTheCallGoesOn() throws Exception {
    h.with("EXOLVE_POLL_INTERVAL_S", "1").start();
    h.api.defaultStatus = "ringing_somewhere";
    RecordingListener l = new RecordingListener();
    CallId id = h.dial(l, 60);
    externalId(l);

    body("GetInfo");
    body("GetInfo");

    assertFalse(l.all.contains("ended"), "an unknown status ends nothing: " + l.all);
    assertEquals(id, h.port.awaitingLeg());
  }

  @Test void givenAStartedPort_whenHealthIsAsked_thenReadyWithTheSipAndHttpFacts() {
    h.start();

    TelephonyHealth health = h.port.health();

    assertTrue(health.ready(), health.toString());
    assertEquals("exolve-http", health.provider());
    assertEquals("MakeCallback", health.details().get("method"));
    assertEquals("callee_first", health.details().get("callback_order"));
    assertEquals("none", health.details().get("awaiting_leg"));
    assertEquals("not set", health.details().get("webhook_secret"));
    assertFalse(health.toString().contains("test-key"), "no secret in health");
    assertEquals(Optional.empty(), h.port.mediaStats(io.voiceagent.core.call.CallId.random()));
    assertFalse(h.port.reportsRinging());
  }

  @Test void givenOurSipAccountIsNotRegistered_whenDialled_thenNothingIsPlacedAndTheReasonSaysWhy() {
    h.with("SIP_REGISTER", "true").start(); // nobody answers REGISTER on the proxy's port

    TelephonyUnavailableException e = assertThrows(TelephonyUnavailableException.class,
        () -> h.dial(new RecordingListener(), 60));

    assertTrue(e.getMessage().contains("our SIP account " + Harness.SIP_USER + " is not ready"), e.getMessage());
    assertFalse(h.port.health().ready());
    assertEquals(0, h.api.server.getRequestCount(), "Exolve was not asked");
  }

  @Test void givenCallsInEveryState_whenClosed_thenEachEndsOnceAndOurLegGetsBye() throws Exception {
    h.start();
    RecordingListener answered = new RecordingListener();
    RecordingListener queued = new RecordingListener();
    CallId first = h.dial(answered, 60);
    externalId(answered);
    h.dial(queued, 60);
    Sipp sipp = h.leg("leg_answered_wait_bye.xml", Harness.CALLEE, "none");
    answered.awaitEvent("answered", WAIT);
    h.awaitAudio(first);
    RecordingListener pending = new RecordingListener();
    queued.awaitEvent("external_id:", WAIT);
    h.dial(pending, 60);

    h.port.close();

    assertEquals(EndReason.LOCAL_HANGUP, answered.awaitEnd(WAIT).reason());
    assertTrue(queued.awaitEnd(WAIT).message().contains("cannot be stopped over HTTP"), queued.end.message());
    assertEquals(EndReason.LOCAL_HANGUP, pending.awaitEnd(WAIT).reason());
    assertEquals(0, sipp.awaitExit(WAIT), sipp.trace());
    assertFalse(h.port.health().ready());
    assertThrows(TelephonyUnavailableException.class, () -> h.dial(new RecordingListener(), 60));
  }
}
