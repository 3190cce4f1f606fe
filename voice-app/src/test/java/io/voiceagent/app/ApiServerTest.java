package io.voiceagent.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.voiceagent.core.VoiceAgent;
import io.voiceagent.core.ai.ConversationalAIPort;
import io.voiceagent.core.call.CallId;
import io.voiceagent.core.config.Settings;
import io.voiceagent.core.spi.ConversationalAIProvider;
import io.voiceagent.core.spi.TelephonyProvider;
import io.voiceagent.core.telephony.TelephonyHealth;
import io.voiceagent.core.telephony.TelephonyPort;
import io.voiceagent.core.testing.Await;
import io.voiceagent.core.testing.ScriptedAi;
import io.voiceagent.core.testing.ScriptedTelephony;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The REST API over real HTTP, with scripted telephony and AI behind it. */
class ApiServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  private final ScriptedTelephony telephony = new ScriptedTelephony();
  private final ScriptedAi ai = new ScriptedAi();
  private App app;

  static TelephonyProvider provider(TelephonyPort port) {
    return new TelephonyProvider() {
      @Override public String name() {
        return "scripted";
      }

      @Override public boolean isConfiguredBy(Settings s) {
        return true;
      }

      @Override public TelephonyPort create(Settings s) {
        return port;
      }
    };
  }

  static ConversationalAIProvider provider(ConversationalAIPort port) {
    return new ConversationalAIProvider() {
      @Override public String name() {
        return port.name();
      }

      @Override public boolean isConfiguredBy(Settings s) {
        return true;
      }

      @Override public ConversationalAIPort create(Settings s) {
        return port;
      }
    };
  }

  private void start(Map<String, String> env) {
    Map<String, String> all = new HashMap<>(env);
    all.put("APP_PORT", "0");
    all.putIfAbsent("AMD_MODE", "off"); // the scripted callee says nothing: detection would wait for it
    Settings s = Settings.of(all);
    app = App.start(s, VoiceAgent.builder().settings(s).telephonyProvider(provider(telephony)).aiProvider(provider(ai)));
  }

  @AfterEach void stop() {
    if (app != null) app.shutdown();
  }

  private HttpResponse<String> send(String method, String path, String body, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) b.header("Content-Type", "application/json");
    for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(HttpResponse<String> r) throws Exception {
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), r.headers().toString());
    return JSON.readTree(r.body());
  }

  private static void assertError(HttpResponse<String> r, int status, String code) throws Exception {
    assertEquals(status, r.statusCode(), r.body());
    JsonNode j = json(r);
    assertEquals(code, j.get("error").asText(), r.body());
    assertFalse(j.get("message").asText().isBlank());
  }

  private String dial(String number) throws Exception {
    HttpResponse<String> r = send("POST", "/api/calls", "{\"phone_number\": \"" + number + "\"}");
    assertEquals(201, r.statusCode(), r.body());
    return json(r).get("id").asText();
  }

  @Test void givenValidNumber_whenPostCalls_then201WithSpecFields() throws Exception {
    start(Map.of());
    HttpResponse<String> r = send("POST", "/api/calls",
        "{\"phone_number\": \"+79123456789\", \"first_message\": \"Hi\", \"dynamic_variables\": {\"name\": \"Anna\"}}");
    assertEquals(201, r.statusCode(), r.body());
    JsonNode c = json(r);
    assertEquals("79123456789", c.get("phone_number").asText());
    assertEquals("outbound", c.get("direction").asText());
    assertEquals("dialing", c.get("status").asText());
    for (String f : new String[] {"id", "started_at", "answered_at", "ended_at", "end_reason", "message", "sip_code",
        "ai_connected", "conversation_id", "external_id", "amd_result", "amd_cause", "amd_ms", "transcript"}) {
      assertTrue(c.has(f), "field " + f);
    }
    assertTrue(c.get("started_at").asText().endsWith("Z"));
    String id = c.get("id").asText();
    assertEquals(id, json(send("GET", "/api/calls/" + id, null)).get("id").asText());
    for (String alias : new String[] {"/api/calls/dial", "/api/calls/start"}) {
      assertEquals(201, send("POST", alias, "{\"phone_number\": \"79123456780\"}").statusCode());
    }
  }

  @Test void givenIdempotencyKey_whenRetried_then200WithTheSameCall() throws Exception {
    start(Map.of());
    HttpResponse<String> a = send("POST", "/api/calls", "{\"phone_number\": \"79123456789\"}", "Idempotency-Key", "k1");
    HttpResponse<String> b = send("POST", "/api/calls", "{\"phone_number\": \"79123456789\"}", "Idempotency-Key", "k1");
    assertEquals(201, a.statusCode());
    assertEquals(200, b.statusCode());
    assertEquals(json(a).get("id"), json(b).get("id"));
    assertEquals(1, telephony.dialled().size());
  }

  @Test void givenBadInput_whenPostCalls_then400Or413Or415WithJsonMessage() throws Exception {
    start(Map.of());
    for (String bad : new String[] {"{\"phone_number\": \"123\"}", "{\"phone_number\": \"+7 912 345\"}",
        "{\"phone_number\": 79123456789}", "{}", "{\"phone_number\": null}", "[]", "not json", "{\"phone_number\": \"79123456789\"",
        "{\"phone_number\": \"79123456789\", \"dynamic_variables\": [1]}",
        "{\"phone_number\": \"79123456789\", \"dynamic_variables\": {\"a\": 1}}",
        "{\"phone_number\": \"79123456789\", \"first_message\": 5}"}) {
      assertError(send("POST", "/api/calls", bad), 400, "invalid_request");
    }
    assertError(send("POST", "/api/calls", null), 400, "invalid_request");
    HttpResponse<String> wrongType = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/api/calls"))
        .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("{\"phone_number\": \"79123456789\"}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertError(wrongType, 415, "unsupported_media_type");
    String huge = "{\"phone_number\": \"79123456789\", \"first_message\": \"" + "x".repeat(70_000) + "\"}";
    assertError(send("POST", "/api/calls", huge), 413, "payload_too_large");
    assertEquals(0, telephony.dialled().size(), "nothing was dialled");
  }

  @Test void givenUnknownIdOrPath_whenRequested_then404_andWrongMethod405() throws Exception {
    start(Map.of());
    assertError(send("GET", "/api/calls/" + CallId.random(), null), 404, "not_found");
    assertError(send("POST", "/api/calls/" + CallId.random() + "/hangup", null), 404, "not_found");
    assertError(send("GET", "/api/nothing", null), 404, "not_found");
    HttpResponse<String> r = send("GET", "/api/calls/x/hangup", null);
    assertError(r, 405, "method_not_allowed");
    assertEquals("POST", r.headers().firstValue("Allow").orElse(""));
  }

  @Test void givenEndedCall_whenHungUpAgain_then409() throws Exception {
    start(Map.of());
    String id = dial("79123456789");
    HttpResponse<String> first = send("POST", "/api/calls/" + id + "/hangup", null);
    assertEquals(200, first.statusCode(), first.body());
    assertEquals("canceled", json(first).get("status").asText());
    assertEquals("local_hangup", json(first).get("end_reason").asText());
    assertError(send("POST", "/api/calls/" + id + "/hangup", null), 409, "conflict");
  }

  @Test void givenLimit100_when101stCall_then429() throws Exception {
    start(Map.of("MAX_CONCURRENT_CALLS", "100"));
    for (int i = 0; i < 100; i++) dial(String.format("7912%07d", i));
    assertError(send("POST", "/api/calls", "{\"phone_number\": \"79990000000\"}"), 429, "too_many_calls");
  }

  @Test void givenToken_whenMissingOrWrong_then401_andRightThen201() throws Exception {
    start(Map.of("APP_API_TOKEN", "t0ken"));
    assertError(send("POST", "/api/calls", "{\"phone_number\": \"79123456789\"}"), 401, "unauthorized");
    assertError(send("GET", "/api/calls", null, "Authorization", "Bearer nope"), 401, "unauthorized");
    assertEquals(201, send("POST", "/api/calls", "{\"phone_number\": \"79123456789\"}", "Authorization", "Bearer t0ken")
        .statusCode());
    assertEquals(200, send("GET", "/health", null).statusCode(), "health needs no token");
  }

  @Test void givenCalls_whenListed_thenNewestFirstFilteredLimitedAndValidated() throws Exception {
    start(Map.of());
    String a = dial("79123456781");
    String b = dial("79123456782");
    send("POST", "/api/calls/" + a + "/hangup", null);
    JsonNode all = json(send("GET", "/api/calls", null)).get("calls");
    assertEquals(2, all.size());
    assertEquals(b, all.get(0).get("id").asText());
    JsonNode canceled = json(send("GET", "/api/calls?status=canceled&limit=5", null)).get("calls");
    assertEquals(1, canceled.size());
    assertEquals(a, canceled.get(0).get("id").asText());
    assertEquals(1, json(send("GET", "/api/calls?limit=1", null)).get("calls").size());
    assertError(send("GET", "/api/calls?limit=0", null), 400, "invalid_request");
    assertError(send("GET", "/api/calls?limit=1001", null), 400, "invalid_request");
    assertError(send("GET", "/api/calls?status=bogus", null), 400, "invalid_request");
  }

  @Test void givenActiveCalls_whenHangupWithoutId_thenOnlyCallOr409() throws Exception {
    start(Map.of());
    assertError(send("POST", "/api/calls/hangup", null), 409, "conflict");
    String a = dial("79123456781");
    HttpResponse<String> r = send("POST", "/api/calls/hangup", null);
    assertEquals(200, r.statusCode(), r.body());
    assertEquals(a, json(r).get("id").asText());
    dial("79123456782");
    String c = dial("79123456783");
    assertError(send("POST", "/api/calls/hangup", null), 409, "conflict");
    HttpResponse<String> named = send("POST", "/api/calls/hangup", "{\"call_id\": \"" + c + "\"}");
    assertEquals(200, named.statusCode());
    assertEquals(c, json(named).get("id").asText());
  }

  @Test void givenAnsweredCall_whenDtmfAndMedia_then202AndStats() throws Exception {
    start(Map.of());
    String id = dial("79123456789");
    assertError(send("POST", "/api/calls/" + id + "/dtmf", "{\"digits\": \"12\"}"), 409, "conflict");
    telephony.line(CallId.of(id)).answer();
    assertError(send("POST", "/api/calls/" + id + "/dtmf", "{\"digits\": \"12z\"}"), 400, "invalid_request");
    assertError(send("POST", "/api/calls/" + id + "/dtmf", "{\"digits\": 12}"), 400, "invalid_request");
    assertEquals(202, send("POST", "/api/calls/" + id + "/dtmf", "{\"digits\": \"12#\"}").statusCode());
    assertEquals("12#", telephony.line(CallId.of(id)).dtmfSent());
    JsonNode media = json(send("GET", "/api/calls/" + id + "/media", null));
    for (String f : new String[] {"codec", "remote", "packets_sent", "packets_received", "packets_lost", "jitter_ms",
        "late_or_reordered", "concealed_ms"}) {
      assertTrue(media.has(f), f);
    }
    Await.until("AI connected", () -> json0(id).get("ai_connected").asBoolean());
  }

  private JsonNode json0(String id) {
    try {
      return json(send("GET", "/api/calls/" + id, null));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test void givenTelephonyStates_whenHealth_thenTruthful() throws Exception {
    start(Map.of());
    HttpResponse<String> ok = send("GET", "/health", null);
    assertEquals(200, ok.statusCode());
    JsonNode h = json(ok);
    assertEquals("ok", h.get("status").asText());
    assertEquals("scripted", h.get("ai_provider").asText());
    assertEquals(0, h.get("active_calls").asInt());
    assertTrue(h.get("telephony").get("ready").asBoolean());
    telephony.health(new TelephonyHealth(false, "sip", "registration_failed", Map.of("last_error", "403 Forbidden")));
    HttpResponse<String> bad = send("GET", "/health", null);
    assertEquals(503, bad.statusCode());
    assertEquals("degraded", json(bad).get("status").asText());
    assertEquals("403 Forbidden", json(bad).get("telephony").get("last_error").asText());
    assertError(send("POST", "/api/calls", "{\"phone_number\": \"79123456789\"}"), 503, "telephony_unavailable");
  }

  @Test void givenNoWebhookReceiver_whenExolveCallback_then404SayingHowToEnable() throws Exception {
    start(Map.of());
    HttpResponse<String> r = send("POST", "/webhooks/exolve/callback", "{}");
    assertError(r, 404, "not_found");
    assertTrue(json(r).get("message").asText().contains("USE_EXOLVE_HTTP"));
  }

  @Test void givenWebhookReceiver_whenExolveCallsBack_thenHeadersQueryAndBodyReachItAndItsAnswerComesBack()
      throws Exception {
    java.util.concurrent.atomic.AtomicReference<String> seen = new java.util.concurrent.atomic.AtomicReference<>();
    telephony.webhooks(new io.voiceagent.core.telephony.WebhookReceiver() {
      @Override public String path() {
        return "/webhooks/exolve/callback";
      }

      @Override public Response handle(Map<String, String> headers, byte[] body) {
        throw new AssertionError("the app passes the query too");
      }

      @Override public Response handle(Map<String, String> headers, Map<String, String> query, byte[] body) {
        seen.set(headers.get("x-webhook-secret") + "|" + query.get("key") + "|"
            + new String(body, java.nio.charset.StandardCharsets.UTF_8));
        return new Response(200, "{\"events\": 1}");
      }
    });
    start(Map.of());
    HttpResponse<String> r = send("POST", "/webhooks/exolve/callback?key=k%201", "{\"type\": \"b\"}",
        "X-Webhook-Secret", "s");
    assertEquals(200, r.statusCode(), r.body());
    assertEquals(1, json(r).get("events").asInt());
    assertEquals("s|k 1|{\"type\": \"b\"}", seen.get());
  }

  @Test void givenShuttingDown_whenRequested_then503() throws Exception {
    start(Map.of());
    app.refuseNewRequests();
    assertError(send("GET", "/api/calls", null), 503, "shutting_down");
    assertError(send("GET", "/health", null), 503, "shutting_down");
  }

  @Test void givenActiveCall_whenShutdown_thenHungUpWithinFiveSeconds() throws Exception {
    start(Map.of());
    String id = dial("79123456789");
    telephony.line(CallId.of(id)).answer();
    var agent = app.agent();
    long t0 = System.nanoTime();
    app.shutdown();
    app = null;
    assertTrue(System.nanoTime() - t0 < 5_000_000_000L, "shutdown within 5 s");
    assertEquals("completed", agent.calls().get(CallId.of(id)).status().wireName());
    assertEquals("local_hangup", agent.calls().get(CallId.of(id)).endReason().wireName());
    assertEquals(1, telephony.line(CallId.of(id)).localHangups(), "BYE sent");
  }
}
