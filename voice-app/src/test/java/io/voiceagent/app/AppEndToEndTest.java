package io.voiceagent.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.voiceagent.core.audio.G711;
import io.voiceagent.core.config.Settings;
import io.voiceagent.core.testing.AmdClips;
import io.voiceagent.core.testing.Await;
import io.voiceagent.elevenlabs.FakeElevenLabs;
import io.voiceagent.sip.Sipp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The product end to end: the REST API over real HTTP, our SIP user agent calling a real sipp callee with
 * real RTP on loopback, and a MockWebServer speaking the ElevenLabs protocol over a real WebSocket.
 */
class AppEndToEndTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  private FakeElevenLabs elevenLabs;
  private Sipp callee;
  private App app;

  @AfterEach void tearDown() {
    if (app != null) app.shutdown();
    if (callee != null) callee.close();
    if (elevenLabs != null) elevenLabs.close();
  }

  private void start(String scenario, byte[] calleeAudioAlaw, boolean amd, String... sippOptions) throws Exception {
    elevenLabs = new FakeElevenLabs();
    elevenLabs.agent.inputFormat = "ulaw_8000";
    elevenLabs.agent.outputFormat = "ulaw_8000";
    callee = Sipp.uas(scenario, Map.of(), Map.of("callee.pcma", calleeAudioAlaw), sippOptions);
    Map<String, String> env = new HashMap<>(elevenLabs.publicSettings());
    env.put("AI_PROVIDER", "elevenlabs"); // the echo provider is on the test class path too
    env.put("EXOLVE_SIP_USER", "883140000000000");
    env.put("EXOLVE_SIP_PASS", "s3cret");
    env.put("EXOLVE_SIP_DOMAIN", "sip.test");
    env.put("EXOLVE_SIP_PROXY", "127.0.0.1:" + callee.port);
    env.put("SIP_REGISTER", "false");
    env.put("SIP_BIND_ADDRESS", "127.0.0.1");
    env.put("SIP_LOCAL_PORT", Integer.toString(Sipp.freeUdpPort()));
    env.put("SIP_KEEPALIVE_S", "0");
    env.put("RTP_PORT_MIN", "43000");
    env.put("RTP_PORT_MAX", "43998");
    env.put("AMD_MODE", amd ? "detect" : "off");
    env.put("APP_PORT", "0");
    app = App.start(Settings.of(env));
  }

  private JsonNode call(String method, String path, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) b.header("Content-Type", "application/json");
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    JsonNode n = JSON.readTree(r.body());
    ((com.fasterxml.jackson.databind.node.ObjectNode) n).put("_status", r.statusCode());
    return n;
  }

  private JsonNode get(String id) {
    try {
      return call("GET", "/api/calls/" + id, null);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private JsonNode mediaOf(String id) {
    try {
      return call("GET", "/api/calls/" + id + "/media", null);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private JsonNode awaitStatus(String id, String status) {
    Await.until("call " + id + " to be " + status + " (sipp: " + callee.trace().length() + " chars of trace)",
        Duration.ofSeconds(30), () -> status.equals(get(id).get("status").asText()));
    return get(id);
  }

  /** A {@code hz} tone at 8 kHz, {@code millis} long, amplitude 8000. */
  private static short[] tone(int hz, int millis) {
    short[] s = new short[8 * millis];
    for (int i = 0; i < s.length; i++) s[i] = (short) (8000 * Math.sin(2 * Math.PI * hz * i / 8000.0));
    return s;
  }

  private static byte[] encode(G711.Law law, short[] pcm) {
    byte[] out = new byte[pcm.length];
    G711.encode(law, pcm, 0, out, 0, pcm.length);
    return out;
  }

  /** Share of {@code pcm}'s energy at {@code hz} (Goertzel), 0..1. */
  private static double toneShare(short[] pcm, int hz) {
    double coeff = 2 * Math.cos(2 * Math.PI * hz / 8000.0);
    double s1 = 0;
    double s2 = 0;
    double total = 0;
    for (short x : pcm) {
      double s0 = x + coeff * s1 - s2;
      s2 = s1;
      s1 = s0;
      total += (double) x * x;
    }
    double power = s1 * s1 + s2 * s2 - coeff * s1 * s2;
    return total == 0 ? 0 : 2 * power / (pcm.length * total);
  }

  private static short[] decodeChunk(JsonNode chunk) {
    byte[] ulaw = Base64.getDecoder().decode(chunk.get("user_audio_chunk").asText());
    short[] pcm = new short[ulaw.length];
    G711.decode(G711.Law.ULAW, ulaw, 0, pcm, 0, ulaw.length);
    return pcm;
  }

  @Test void givenCalleeAnswers_whenAgentSpeaks_thenItReachesTheCalleeAndTheApiHangupSendsBye() throws Exception {
    start("app_callee.xml", new byte[160], false, "-rtp_echo"); // the callee repeats what it hears
    JsonNode created = call("POST", "/api/calls", "{\"phone_number\": \"79123456789\"}");
    assertEquals(201, created.get("_status").asInt(), created.toString());
    String id = created.get("id").asText();

    FakeElevenLabs.Conn conversation = elevenLabs.agent.await();
    conversation.awaitType("conversation_initiation_client_data");
    Await.until("AI connected", () -> get(id).get("ai_connected").asBoolean());
    assertEquals("answered", get(id).get("status").asText());

    // the agent says a 1 kHz tone; the callee echoes it; it must come back to the agent as callee audio
    byte[] speech = encode(G711.Law.ULAW, tone(1000, 2000));
    for (int off = 0; off < speech.length; off += 1600) {
      conversation.send(FakeElevenLabs.audio(java.util.Arrays.copyOfRange(speech, off, off + 1600), 1));
    }
    double best = 0;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (best < 0.8 && System.nanoTime() < deadline) {
      best = Math.max(best, toneShare(decodeChunk(conversation.awaitAudioChunk()), 1000));
    }
    assertTrue(best >= 0.8, "the agent's 1 kHz tone went to the callee and came back (best share " + best + ")");

    Await.until("a second of RTP both ways", () -> {
      JsonNode m = mediaOf(id);
      return m.get("packets_sent").asLong() > 50 && m.get("packets_received").asLong() > 50;
    });
    JsonNode media = mediaOf(id);
    assertEquals("PCMA", media.get("codec").asText());
    assertEquals(0, media.get("packets_lost").asLong(), media.toString());

    JsonNode health = call("GET", "/health", null);
    assertEquals("sip", health.get("telephony").get("provider").asText(), health.toString());
    assertEquals("elevenlabs", health.get("ai_provider").asText());
    assertEquals(1, health.get("active_calls").asInt());

    JsonNode hungUp = call("POST", "/api/calls/" + id + "/hangup", null);
    assertEquals(200, hungUp.get("_status").asInt());
    assertEquals("completed", hungUp.get("status").asText());
    assertEquals("local_hangup", hungUp.get("end_reason").asText());
    assertEquals(0, callee.awaitExit(Duration.ofSeconds(20)), "sipp got our BYE and the call passed:\n" + callee.trace());
    assertEquals(1, elevenLabs.agent.conversations.get(), "exactly one AI session");
    assertTrue(elevenLabs.agent.connections.isEmpty(), "no second WebSocket");
  }

  @Test void givenEarlyMediaThenBusy_whenCalled_thenBusyAndNoAiSession() throws Exception {
    start("app_callee_183_486.xml", encode(G711.Law.ALAW, tone(425, 1000)), true);
    String id = call("POST", "/api/calls", "{\"phone_number\": \"79123456789\"}").get("id").asText();
    JsonNode done = awaitStatus(id, "busy");
    assertEquals("busy", done.get("end_reason").asText());
    assertEquals(486, done.get("sip_code").asInt());
    assertEquals(false, done.get("ai_connected").asBoolean());
    assertEquals(0, elevenLabs.server.getRequestCount(), "the fake ElevenLabs saw no connection at all");
  }

  @Test void givenAShortHello_whenDetected_thenHumanAndTheAgentHearsTheHello() throws Exception {
    AmdClips.Clip hello = AmdClips.load().stream().filter(c -> c.file().equals("human-01-ru.ul")).findFirst().orElseThrow();
    short[] audio = java.util.Arrays.copyOf(hello.pcm(), hello.pcm().length + 8 * 6000); // then 6 s of silence
    start("app_callee.xml", encode(G711.Law.ALAW, audio), true);
    String id = call("POST", "/api/calls", "{\"phone_number\": \"79123456789\"}").get("id").asText();
    FakeElevenLabs.Conn conversation = elevenLabs.agent.await();
    JsonNode call = get(id);
    assertEquals("human", call.get("amd_result").asText(), call.toString());
    assertTrue(call.get("amd_ms").asLong() <= 5000);
    // the agent hears the "Алло?" said before it was connected: the answer buffer comes first
    long energy = 0;
    int samples = 0;
    while (samples < 8 * 2500) {
      short[] pcm = decodeChunk(conversation.awaitAudioChunk());
      for (short s : pcm) energy += Math.abs(s);
      samples += pcm.length;
    }
    assertTrue(energy / samples > 100, "the hello reached the agent (mean magnitude " + energy / samples + ")");
  }

  @Test void givenALongRecordedGreeting_whenDetected_thenMachineAndNoAiSession() throws Exception {
    // a 7 s support-line greeting, which the detector calls a machine offline (long_greeting at 2.2 s)
    AmdClips.Clip greeting = AmdClips.load().stream().filter(c -> c.file().equals("machine-04-ru.ul"))
        .findFirst().orElseThrow();
    start("app_callee.xml", encode(G711.Law.ALAW, greeting.pcm()), true);
    String id = call("POST", "/api/calls", "{\"phone_number\": \"79123456789\"}").get("id").asText();
    JsonNode done = awaitStatus(id, "completed");
    assertEquals("machine", done.get("end_reason").asText(), done.toString());
    assertEquals("machine", done.get("amd_result").asText());
    assertEquals(false, done.get("ai_connected").asBoolean());
    assertEquals(0, elevenLabs.server.getRequestCount(), "no AI credits spent on a machine");
    assertEquals(0, callee.awaitExit(Duration.ofSeconds(20)), "sipp got our BYE:\n" + callee.trace());
  }
}
