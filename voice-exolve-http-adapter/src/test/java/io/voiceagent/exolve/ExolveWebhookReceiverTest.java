package io.voiceagent.exolve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.voiceagent.core.config.Secret;
import io.voiceagent.core.telephony.WebhookReceiver.Response;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The webhook receiver on its own: the secret, bodies good and bad, and what it hands on. */
class ExolveWebhookReceiverTest {
  private final ObjectMapper json = new ObjectMapper();
  private final List<WebhookEvent> taken = new CopyOnWriteArrayList<>();
  private volatile boolean accepting = true;

  private ExolveWebhookReceiver receiver(String secret) {
    return new ExolveWebhookReceiver(secret == null ? null : Secret.of(secret), json, events -> {
      if (!accepting) return false;
      taken.addAll(events);
      return true;
    });
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test void givenASecret_whenTheHeaderIsMissingOrWrong_then401AndNothingIsTaken() throws Exception {
    ExolveWebhookReceiver r = receiver("a-long-random-secret");
    byte[] body = bytes("{\"type\": \"b\", \"call_id\": 1}");

    Response missing = r.handle(Map.of("content-type", "application/json"), body);
    Response wrong = r.handle(Map.of("x-webhook-secret", "a-long-random-secreT"), body);
    Response shorter = r.handle(Map.of("x-webhook-secret", "a-long"), body);

    for (Response x : List.of(missing, wrong, shorter)) {
      assertEquals(401, x.status());
      assertEquals("unauthorized", json.readTree(x.jsonBody()).get("error").asText());
      assertTrue(x.jsonBody().contains("X-Webhook-Secret"), x.jsonBody());
    }
    assertTrue(taken.isEmpty());
    assertEquals(3, r.rejected());
    assertEquals("/webhooks/exolve/callback", r.path());
  }

  @Test void givenASecret_whenTheHeaderCarriesIt_then200AndTheEventIsTaken() throws Exception {
    Response ok = receiver("a-long-random-secret").handle(Map.of("x-webhook-secret", "a-long-random-secret"),
        bytes("{\"type\": \"D\", \"call_id\": \"721356000123\", \"call_sid\": \"abc\", \"cause_code\": \"17\"}"));

    assertEquals(200, ok.status());
    assertEquals(1, json.readTree(ok.jsonBody()).get("events").asInt());
    WebhookEvent e = taken.get(0);
    assertEquals("d", e.type());
    assertEquals("721356000123", e.callId());
    assertEquals("abc", e.callSid());
    assertEquals(17, e.causeCode());
    assertTrue(e.isEnd());
  }

  @Test void givenASecret_whenTheUrlKeyCarriesIt_then200_andAWrongKey401() throws Exception {
    ExolveWebhookReceiver r = receiver("a-long-random-secret");
    byte[] body = bytes("{\"type\": \"b\", \"call_id\": 1}");
    assertEquals(200, r.handle(Map.of(), Map.of("key", "a-long-random-secret"), body).status());
    assertEquals(401, r.handle(Map.of(), Map.of("key", "a-long-random-secreT"), body).status());
    assertEquals(1, taken.size());
  }

  @Test void givenNoSecret_whenAnEventComes_thenTakenWithCallIdAndCauseAsNumbers() {
    Response ok = receiver(null).handle(Map.of(), bytes("{\"type\": \"d\", \"call_id\": 555, \"cause_code\": 16,"
        + " \"duration\": 25000, \"from\": \"79995550011\"}"));

    assertEquals(200, ok.status());
    assertEquals("555", taken.get(0).callId());
    assertEquals(16, taken.get(0).causeCode());
  }

  @Test void givenAnArrayOfEvents_whenPosted_thenEachIsTaken() {
    Response ok = receiver(null).handle(Map.of(), bytes("[{\"type\": \"b\", \"call_id\": 1}, {\"type\": \"s\", \"call_id\": 1}, 7]"));

    assertEquals(200, ok.status());
    assertEquals(List.of("b", "s"), taken.stream().map(WebhookEvent::type).toList());
  }

  @Test void givenAnUnknownType_whenPosted_thenStill200() {
    Response ok = receiver(null).handle(Map.of(), bytes("{\"type\": \"zz\", \"call_id\": 1, \"cause_code\": \"x\"}"));

    assertEquals(200, ok.status());
    assertEquals("zz", taken.get(0).type());
    assertNull(taken.get(0).causeCode(), "a cause that is not a number is left out");
  }

  @Test void givenBadBodies_whenPosted_then400WithAReason() throws Exception {
    ExolveWebhookReceiver r = receiver(null);

    for (String body : List.of("", "{\"type\": ", "42", "[1, 2]", "null")) {
      Response x = r.handle(Map.of(), bytes(body));
      assertEquals(400, x.status(), body);
      assertEquals("bad_request", json.readTree(x.jsonBody()).get("error").asText());
    }
    assertEquals(400, r.handle(Map.of(), null).status());
    assertTrue(taken.isEmpty());
  }

  @Test void givenTheAdapterCannotTakeEvents_whenPosted_then503SoExolveMayRetry() {
    accepting = false;

    assertEquals(503, receiver(null).handle(Map.of(), bytes("{\"type\": \"b\", \"call_id\": 1}")).status());
  }
}
