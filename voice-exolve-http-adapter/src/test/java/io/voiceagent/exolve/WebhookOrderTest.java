package io.voiceagent.exolve;

import io.voiceagent.sip.Sipp;

import static io.voiceagent.exolve.Harness.WAIT;
import static io.voiceagent.exolve.Harness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voiceagent.core.call.CallId;
import io.voiceagent.core.call.EndReason;
import io.voiceagent.core.telephony.WebhookReceiver;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Exolve's call events delivered in every order, repeated, early (before MakeCallback's answer) and late, through
 * the webhook receiver exactly as the app hands them over: a call never moves backwards or ends twice.
 */
class WebhookOrderTest {
  private final Harness h = new Harness();

  @AfterEach void tearDown() {
    h.close();
  }

  /** An event; {@code callId} as it goes in the JSON (a number, or a quoted string). */
  private static String event(String type, String callId, String extra) {
    return "{\"type\": \"" + type + "\", \"call_id\": " + callId + ", \"call_sid\": \"sid-" + callId.replace("\"", "")
        + "\"" + extra + "}";
  }

  /** Every distinct ordering of {@code items}. */
  private static List<List<String>> orders(List<String> items) {
    Set<List<String>> out = new LinkedHashSet<>();
    permute(new ArrayList<>(items), 0, out);
    return new ArrayList<>(out);
  }

  private static void permute(List<String> a, int k, Set<List<String>> out) {
    if (k == a.size()) {
      out.add(List.copyOf(a));
      return;
    }
    for (int i = k; i < a.size(); i++) {
      java.util.Collections.swap(a, k, i);
      permute(a, k + 1, out);
      java.util.Collections.swap(a, k, i);
    }
  }

  /** The listener's history is sane: at most one ringing, never after answered; exactly one end, last. */
  private static void assertForwardOnly(List<String> all, String order) {
    List<String> calls = new ArrayList<>(all);
    calls.removeIf(e -> e.startsWith("external_id:"));
    assertEquals(1, calls.stream().filter("ended"::equals).count(), order + ": one end in " + all);
    assertEquals("ended", calls.get(calls.size() - 1), order + ": the end is last in " + all);
    assertTrue(calls.stream().filter("ringing"::equals).count() <= 1, order + ": ringing at most once in " + all);
    assertTrue(calls.stream().filter("answered"::equals).count() <= 1, order + ": answered at most once in " + all);
    int answered = calls.indexOf("answered");
    int ringing = calls.lastIndexOf("ringing");
    assertTrue(answered < 0 || ringing < answered, order + ": no ringing after answered in " + all);
  }

  @Test void givenCalleeFirstWithoutALeg_whenBeginRepeatedBusyAndEndComeInEveryOrder_thenOneBusyEnd() throws Exception {
    h.start();
    List<List<String>> orders = orders(List.of("b", "b", "d17", "e"));
    assertEquals(12, orders.size());
    for (List<String> order : orders) {
      RecordingListener l = new RecordingListener();
      h.dial(l, 60);
      l.awaitEvent("external_id:", WAIT);
      String callId = l.externalId;
      for (String step : order) {
        WebhookReceiver.Response r = h.event(step.equals("d17")
            ? event("d", callId, ", \"cause_code\": \"17\", \"duration\": 0") : event(step, callId, ""));
        assertEquals(200, r.status(), r.jsonBody());
      }
      h.port.drain();
      assertForwardOnly(l.all, order.toString());
      assertEquals(EndReason.BUSY, l.end.reason(), order.toString());
      assertEquals(order.indexOf("b") < order.indexOf("d17") && order.indexOf("b") < order.indexOf("e"),
          l.all.contains("ringing"), order + ": ringing exactly when 'b' came before the end: " + l.all);
      await("the slot is free after " + order, () -> h.port.awaitingLeg() == null);
    }
  }

  @Test void givenEventsBeforeMakeCallbacksAnswer_whenItComes_thenTheyApplyInOrder() throws Exception {
    h.start();
    h.api.enqueue("MakeCallback", FakeExolve.json(200, "{\"call_id\": 9100000001}"));
    CountDownLatch answer = h.api.gate("MakeCallback");
    RecordingListener l = new RecordingListener();
    h.dial(l, 60);
    h.api.take("MakeCallback", WAIT);

    assertEquals(200, h.event(event("b", "9100000001", "")).status());
    assertEquals(200, h.event(event("d", "\"9100000001\"", ", \"cause_code\": 19")).status());
    await("both events kept for a call_id not yet ours", () -> h.port.unclaimed() == 2);
    answer.countDown();

    assertEquals(EndReason.NO_ANSWER, l.awaitEnd(WAIT).reason());
    assertEquals(List.of("external_id:9100000001", "ringing", "ended"), l.all);
    assertEquals(0, h.port.unclaimed());
  }

  @Test void givenAgentFirst_whenLegAnswerAndBeginComeInEveryOrder_thenAnsweredOnceAfterBothLegAndAnswer()
      throws Exception {
    h.with("EXOLVE_CALLBACK_ORDER", "agent_first").start();
    for (List<String> order : orders(List.of("leg", "s", "b"))) {
      RecordingListener l = new RecordingListener();
      CallId id = h.dial(l, 60);
      l.awaitEvent("external_id:", WAIT);
      String callId = l.externalId;
      Sipp sipp = null;
      for (String step : order) {
        if (step.equals("leg")) {
          sipp = h.leg("leg_answered_wait_bye.xml", Harness.SOURCE, "none");
          await("our leg is up (" + order + ")", () -> h.port.legUp(id));
        } else {
          assertEquals(200, h.event(event(step, "\"" + callId + "\"", "")).status());
          h.port.drain();
        }
        if (step.equals("s") && order.indexOf("leg") > order.indexOf("s")) {
          assertTrue(!l.all.contains("answered"), order + ": not answered before our leg is up: " + l.all);
        }
      }
      l.awaitEvent("answered", WAIT);
      h.awaitAudio(id);
      assertEquals(200, h.event(event("s", "\"" + callId + "\"", "")).status(), "a repeated answer changes nothing");
      assertEquals(200, h.event(event("d", "\"" + callId + "\"", ", \"cause_code\": \"16\"")).status());
      assertEquals(EndReason.REMOTE_HANGUP, l.awaitEnd(WAIT).reason(), order.toString());
      assertEquals(200, h.event(event("b", "\"" + callId + "\"", "")).status(), "a late event is still answered 200");
      h.port.drain();
      assertForwardOnly(l.all, order.toString());
      assertEquals(0, sipp.awaitExit(WAIT), order + ": our BYE reached Exolve's leg: " + sipp.trace());
      await("forgotten after " + order, () -> h.port.liveCalls() == 0);
    }
  }

  @Test void givenTheEndEventBeforeOurLeg_whenTheLegArrives_thenItIsRejected() throws Exception {
    h.start();
    RecordingListener l = new RecordingListener();
    h.dial(l, 60);
    l.awaitEvent("external_id:", WAIT);
    h.event(event("d", l.externalId, ", \"cause_code\": 21"));
    assertEquals(EndReason.REJECTED, l.awaitEnd(WAIT).reason());

    Sipp late = h.leg("leg_rejected.xml", Harness.CALLEE, "none");

    assertEquals(0, late.awaitExit(WAIT), late.trace());
    assertTrue(late.messages().contains("SIP/2.0 404"), late.trace());
    h.port.drain();
    assertEquals(List.of("external_id:" + l.externalId, "ended"), l.all);
  }

  @Test void givenUnknownAndUninterpretedTypes_whenDelivered_thenAnswered200AndTheCallIsUntouched() throws Exception {
    h.start();
    RecordingListener l = new RecordingListener();
    CallId id = h.dial(l, 60);
    l.awaitEvent("external_id:", WAIT);
    String callId = l.externalId;

    for (String type : List.of("zz", "o", "h", "crr", "")) {
      WebhookReceiver.Response r = h.event(event(type, callId, ", \"path\": \"/rec/1.mp3\""));
      assertEquals(200, r.status(), type + ": " + r.jsonBody());
    }
    assertEquals(200, h.event("{\"type\": \"b\"}").status(), "an event without call_id is logged, still 200");
    h.port.drain();

    assertEquals(List.of("external_id:" + callId), l.all);
    assertEquals(id, h.port.awaitingLeg());
    h.port.hangup(id);
  }
}
