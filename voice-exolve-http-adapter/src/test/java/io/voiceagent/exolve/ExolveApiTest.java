package io.voiceagent.exolve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.voiceagent.core.call.CallId;
import io.voiceagent.core.call.PhoneNumber;
import io.voiceagent.core.config.Settings;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The HTTP side against a real HTTP server playing Exolve's API: exact requests, and every kind of answer. */
class ExolveApiTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String KEY = "test-key-0123456789";
  private final ObjectMapper json = new ObjectMapper();
  private final FakeExolve exolve = new FakeExolve();
  private final BlockingQueue<Object> results = new LinkedBlockingQueue<>();
  private final CallId id = CallId.of("3f1c0000-0000-4000-8000-000000000001");
  private ExolveApi api;

  @AfterEach void tearDown() {
    if (api != null) api.close();
    exolve.close();
  }

  private ExolveApi api(String... overrides) {
    Map<String, String> s = new HashMap<>();
    s.put("USE_EXOLVE_HTTP", "true");
    s.put("EXOLVE_API_KEY", KEY);
    s.put("EXOLVE_API_URL", exolve.baseUrl());
    s.put("EXOLVE_SOURCE_NUMBER", "79990000001");
    s.put("EXOLVE_NUMBER_CODE", "79990000001");
    s.put("EXOLVE_CALLBACK_RESOURCE_ID", "1657");
    s.put("EXOLVE_SIP_USER", "883140000000000");
    s.put("EXOLVE_SIP_PASS", "s3cret");
    s.put("EXOLVE_HTTP_TIMEOUT_S", "5");
    for (int i = 0; i < overrides.length; i += 2) s.put(overrides[i], overrides[i + 1]);
    api = new ExolveApi(ExolveHttpConfig.fromSettings(Settings.of(s)), json);
    return api;
  }

  private Object place(ExolveApi a) throws InterruptedException {
    a.place(id, new PhoneNumber("79161234567"), Duration.ofSeconds(45), new ExolveApi.PlaceCallback() {
      @Override public void placed(String externalId) {
        results.add(externalId);
      }

      @Override public void failed(ExolveApi.Failure failure) {
        results.add(failure);
      }
    });
    Object r = results.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    assertNotNull(r, "no result within " + WAIT);
    return r;
  }

  private ExolveApi.Failure failure(Object r) {
    return assertInstanceOf(ExolveApi.Failure.class, r, "expected a failure, got " + r);
  }

  @Test void givenCalleeFirst_whenPlacing_thenExactMakeCallbackBodyAndBearerHeader() throws Exception {
    Object r = place(api());

    RecordedRequest req = exolve.take("MakeCallback", WAIT);
    assertEquals("POST", req.getMethod());
    assertEquals("/call/v1/MakeCallback", req.getUrl().encodedPath());
    assertEquals("Bearer " + KEY, req.getHeaders().get("Authorization"));
    assertTrue(req.getHeaders().get("Content-Type").startsWith("application/json"), req.getHeaders().toString());
    JsonNode body = json.readTree(req.getBody().utf8());
    JsonNode expected = json.readTree("{\"number_code\": 79990000001, \"callback_resource_id\": 1657,"
        + " \"line_1\": {\"destinations\": [{\"number\": \"79161234567\", \"timeout\": 45}], \"display_number\": \"79990000001\"},"
        + " \"line_2\": {\"destinations\": [{\"number\": \"883140000000000\", \"timeout\": 45}], \"display_number\": \"79990000001\"},"
        + " \"request_description\": \"" + id + "\"}");
    assertEquals(expected, body);
    assertTrue(body.get("number_code").isIntegralNumber() && body.get("callback_resource_id").isIntegralNumber(),
        "uint64 fields go as JSON numbers");
    assertTrue(body.get("line_1").get("destinations").get(0).get("number").isTextual(), "numbers go as strings");
    assertEquals("5550000001", r, "call_id as a string");
  }

  @Test void givenAgentFirstAndAnExolveNumberForOurLeg_whenPlacing_thenOurLegIsLine1() throws Exception {
    place(api("EXOLVE_CALLBACK_ORDER", "agent_first", "EXOLVE_AGENT_NUMBER", "79990000777"));

    JsonNode body = json.readTree(exolve.take("MakeCallback", WAIT).getBody().utf8());
    assertEquals("79990000777", body.at("/line_1/destinations/0/number").asText());
    assertEquals("79161234567", body.at("/line_2/destinations/0/number").asText());
  }

  @Test void givenCallIdAsNumber_whenPlaced_thenExternalIdIsItsDigits() throws Exception {
    exolve.enqueue("MakeCallback", FakeExolve.json(200, "{\"call_id\": 18446744073709551615}"));

    assertEquals("18446744073709551615", place(api()), "the largest uint64 as a JSON number");
  }

  @Test void givenCallIdAsString_whenPlaced_thenExternalIdIsTheString() throws Exception {
    exolve.enqueue("MakeCallback", FakeExolve.json(200, "{\"call_id\": \"721356000123\"}"));

    assertEquals("721356000123", place(api()));
  }

  @Test void given401_whenPlacing_thenFailureNamesTheKeySettingAndNothingRang() throws Exception {
    exolve.enqueue("MakeCallback", FakeExolve.json(401, "{\"code\": 16, \"message\": \"malformed token\"}"));

    ExolveApi.Failure f = failure(place(api()));

    assertTrue(f.message().contains("HTTP 401") && f.message().contains("EXOLVE_API_KEY")
        && f.message().contains("malformed token"), f.message());
    assertFalse(f.mayHaveRung());
  }

  @Test void given403EchoingTheKey_whenPlacing_thenTheKeyIsMasked() throws Exception {
    exolve.enqueue("MakeCallback", FakeExolve.json(403, "{\"message\": \"token " + KEY + " is not allowed\"}"));

    ExolveApi.Failure f = failure(place(api()));

    assertTrue(f.message().contains("HTTP 403") && f.message().contains("token **** is not allowed"), f.message());
    assertFalse(f.message().contains(KEY), "the key never appears in a message");
  }

  @Test void given429_whenPlacing_thenRateLimitMessageWithRetryAfterAndNotPlaced() throws Exception {
    exolve.enqueue("MakeCallback", new MockResponse.Builder().code(429).setHeader("Retry-After", "3")
        .body("Too Many Requests").build());

    ExolveApi.Failure f = failure(place(api()));

    assertTrue(f.message().contains("HTTP 429, Retry-After 3") && f.message().contains("not placed"), f.message());
    assertFalse(f.mayHaveRung());
    assertEquals(1, exolve.server.getRequestCount(), "not retried");
  }

  @Test void givenProtoValidation400_whenPlacing_thenExolvesTextAndAHint() throws Exception {
    exolve.enqueue("MakeCallback", FakeExolve.json(400, "{\"code\": 3, \"message\": \"proto: (line 3:9): invalid value"
        + " for string type: 79991112233\", \"details\": []}"));

    ExolveApi.Failure f = failure(place(api()));

    assertTrue(f.message().contains("proto: (line 3:9): invalid value for string type: 79991112233"), f.message());
    assertTrue(f.message().contains("wrong JSON type"), f.message());
    assertFalse(f.mayHaveRung());
  }

  @Test void given500_whenPlacing_thenFailedOnceMayHaveRungNotRetried() throws Exception {
    exolve.enqueue("MakeCallback", new MockResponse.Builder().code(500).body("internal error").build());

    ExolveApi.Failure f = failure(place(api()));

    assertTrue(f.message().contains("HTTP 500") && f.message().contains("not retried"), f.message());
    assertTrue(f.mayHaveRung(), "a 5xx may have placed the call");
    assertEquals(1, exolve.server.getRequestCount(), "exactly one POST: a retry could ring the callee twice");
  }

  @Test void givenNoAnswerInTime_whenPlacing_thenTimeoutFailureAndNoRetry() throws Exception {
    exolve.enqueue("MakeCallback", new MockResponse.Builder().headersDelay(4, TimeUnit.SECONDS)
        .body("{\"call_id\": \"1\"}").build());

    ExolveApi.Failure f = failure(place(api("EXOLVE_HTTP_TIMEOUT_S", "1")));

    assertTrue(f.message().startsWith("no answer from Exolve to MakeCallback in time"), f.message());
    assertTrue(f.mayHaveRung());
    assertEquals(1, exolve.server.getRequestCount(), "the timed-out POST is not sent again");
  }

  @Test void givenMalformedJsonWith200_whenPlacing_thenFailureQuotesTheBodyAndMayHaveRung() throws Exception {
    exolve.enqueue("MakeCallback", FakeExolve.json(200, "{\"call_id\": "));

    ExolveApi.Failure f = failure(place(api()));

    assertTrue(f.message().contains("not JSON") && f.message().contains("{\"call_id\":"), f.message());
    assertTrue(f.mayHaveRung());
  }

  @Test void given200WithoutCallId_whenPlacing_thenFailureSaysWhatWasExpected() throws Exception {
    exolve.enqueue("MakeCallback", FakeExolve.json(200, "{\"id\": \"42\"}"));

    ExolveApi.Failure f = failure(place(api()));

    assertTrue(f.message().contains("no call_id") && f.message().contains("{\"id\": \"42\"}"), f.message());
  }

  @Test void givenMakeCall_whenPlacing_thenSourceDestinationBodyAndExternalIdAccepted() throws Exception {
    exolve.enqueue("MakeCall", FakeExolve.json(200, "{\"external_id\": 777}"));

    Object r = place(api("EXOLVE_HTTP_METHOD", "MakeCall", "EXOLVE_NUMBER_CODE", "", "EXOLVE_CALLBACK_RESOURCE_ID", ""));

    RecordedRequest req = exolve.take("MakeCall", WAIT);
    assertEquals("/call/v1/MakeCall", req.getUrl().encodedPath());
    assertEquals(json.readTree("{\"source\": \"79990000001\", \"destination\": \"79161234567\"}"),
        json.readTree(req.getBody().utf8()));
    assertEquals("777", r);
  }

  @Test void givenApiUnreachable_whenPlacing_thenNotPlacedAndSaysWhere() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }

    ExolveApi.Failure f = failure(place(api("EXOLVE_API_URL", "http://127.0.0.1:" + closedPort)));

    assertTrue(f.message().startsWith("cannot reach Exolve's API"), f.message());
    assertFalse(f.mayHaveRung());
  }

  @Test void givenGetInfo_whenAsked_thenCallIdGoesAsNumberAndStatusComesBack() throws Exception {
    exolve.enqueue("GetInfo", FakeExolve.json(200, "{\"status\": \"busy\", \"duration\": 0}"));
    BlockingQueue<String> status = new LinkedBlockingQueue<>();

    api().getInfo("721356000123", new ExolveApi.InfoCallback() {
      @Override public void status(String s, String body) {
        status.add(s);
      }

      @Override public void failed(String message) {
        status.add("failed: " + message);
      }
    });

    assertEquals("busy", status.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS));
    RecordedRequest req = exolve.take("GetInfo", WAIT);
    assertEquals("Bearer " + KEY, req.getHeaders().get("Authorization"));
    assertEquals(json.readTree("{\"call_id\": 721356000123}"), json.readTree(req.getBody().utf8()));
  }
}
