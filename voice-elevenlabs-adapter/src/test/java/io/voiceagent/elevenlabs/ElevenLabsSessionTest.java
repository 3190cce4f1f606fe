package io.voiceagent.elevenlabs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.voiceagent.core.ai.AiCallOptions;
import io.voiceagent.core.ai.AiEnd;
import io.voiceagent.core.ai.AiSession;
import io.voiceagent.core.ai.ToolResult;
import io.voiceagent.core.audio.AudioFormat;
import io.voiceagent.core.call.CallId;
import io.voiceagent.core.call.TranscriptEntry;
import io.voiceagent.core.config.Settings;
import io.voiceagent.elevenlabs.FakeElevenLabs.Conn;
import io.voiceagent.elevenlabs.RecordingListener.Audio;
import io.voiceagent.elevenlabs.RecordingListener.Corrected;
import io.voiceagent.elevenlabs.RecordingListener.Ended;
import io.voiceagent.elevenlabs.RecordingListener.Interrupted;
import io.voiceagent.elevenlabs.RecordingListener.Ready;
import io.voiceagent.elevenlabs.RecordingListener.ToolCall;
import io.voiceagent.elevenlabs.RecordingListener.Transcript;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okio.ByteString;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** One session against a fake ElevenLabs speaking real HTTP and real WebSocket frames. */
class ElevenLabsSessionTest {
  private static final Duration WAIT = Duration.ofSeconds(15);

  private FakeElevenLabs fake;
  private ElevenLabsPort port;
  private final RecordingListener listener = new RecordingListener();
  private final AtomicLong clockOffsetNanos = new AtomicLong();

  @BeforeEach void startFake() throws Exception {
    fake = new FakeElevenLabs();
  }

  @AfterEach void stop() {
    if (port != null) port.close();
    fake.close();
  }

  private ElevenLabsPort port(Map<String, String> settings) {
    port = new ElevenLabsPort(ElevenLabsConfig.from(Settings.of(settings)),
        () -> System.nanoTime() + clockOffsetNanos.get());
    return port;
  }

  private static AiCallOptions options() {
    return new AiCallOptions(null, Map.of(), "call-1");
  }

  private record Opened(AiSession session, Conn conn, Ready ready) {}

  private Opened openReady(Map<String, String> settings) throws Exception {
    AiSession session = port(settings).prepare(CallId.of("call-1"));
    session.open(options(), listener);
    Conn conn = fake.agent.await();
    conn.awaitType("conversation_initiation_client_data");
    return new Opened(session, conn, listener.await(Ready.class));
  }

  static void waitUntil(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) fail("not within " + WAIT + ": " + what);
      java.util.concurrent.locks.LockSupport.parkNanos(1_000_000); // re-check the condition each millisecond
    }
  }

  // ------------------------------------------------------------------ connecting

  @Test void givenApiKey_whenPreparedThenOpened_thenSignedUrlFetchedWithKeyWhileRingingAndSocketUsesIt() throws Exception {
    AiSession session = port(fake.keyedSettings()).prepare(CallId.of("call-1"));

    RecordedRequest rest = fake.signedUrlRequests.poll(15, TimeUnit.SECONDS);
    assertNotNull(rest, "the signed URL is fetched at prepare, before open");
    assertEquals(FakeElevenLabs.API_KEY, rest.getHeaders().get("xi-api-key"));
    assertEquals(FakeElevenLabs.AGENT_ID, rest.getUrl().queryParameter("agent_id"));
    assertEquals("GET", rest.getMethod());

    session.open(options(), listener);
    RecordedRequest upgrade = fake.upgradeRequests.poll(15, TimeUnit.SECONDS);
    assertNotNull(upgrade);
    assertEquals(FakeElevenLabs.SIGNATURE_PREFIX + "1", upgrade.getUrl().queryParameter("conversation_signature"),
        "the signed URL is opened unchanged");
    assertEquals("websocket", upgrade.getHeaders().get("Upgrade"));
    assertNull(upgrade.getHeaders().get("xi-api-key"), "the key is not sent on the socket: the signed URL is the credential");

    Ready ready = listener.await(Ready.class);
    assertEquals("conv_1", ready.conversationId());
    assertEquals(AudioFormat.PCM_16K, ready.input());
    assertEquals(AudioFormat.PCM_16K, ready.output());
    assertEquals(1, fake.signaturesIssued.get(), "a fresh signed URL is not fetched again");
    session.close();
  }

  @Test void givenNoApiKey_whenOpened_thenPublicUrlWithAgentIdAndNoRestCall() throws Exception {
    Opened o = openReady(fake.publicSettings());

    RecordedRequest upgrade = fake.upgradeRequests.poll(15, TimeUnit.SECONDS);
    assertNotNull(upgrade);
    assertEquals(FakeElevenLabs.AGENT_ID, upgrade.getUrl().queryParameter("agent_id"));
    assertNull(upgrade.getUrl().queryParameter("conversation_signature"));
    assertEquals(0, fake.signedUrlRequests.size(), "no key, no signed URL");
    assertEquals("conv_1", o.ready().conversationId());
  }

  @Test void givenSignedUrlFetchedWhileRinging_whenOpenedMoreThan15MinutesLater_thenFetchedAgain() throws Exception {
    AiSession session = port(fake.keyedSettings()).prepare(CallId.of("call-1"));
    assertNotNull(fake.signedUrlRequests.poll(15, TimeUnit.SECONDS));
    ElevenLabsSession s = (ElevenLabsSession) session;
    waitUntil("the first signed URL arrives", s::signedUrlArrived);

    clockOffsetNanos.set(TimeUnit.MINUTES.toNanos(15) + 1);
    session.open(options(), listener);

    assertNotNull(fake.signedUrlRequests.poll(15, TimeUnit.SECONDS), "an expired signed URL is fetched again at open");
    RecordedRequest upgrade = fake.upgradeRequests.poll(15, TimeUnit.SECONDS);
    assertNotNull(upgrade);
    assertEquals(FakeElevenLabs.SIGNATURE_PREFIX + "2", upgrade.getUrl().queryParameter("conversation_signature"));
    listener.await(Ready.class);
  }

  @Test void givenSignedUrlRequestFailedWhileRinging_whenOpened_thenFetchedAgainAndConnects() throws Exception {
    AtomicLong calls = new AtomicLong();
    fake.onSignedUrl = r -> calls.incrementAndGet() == 1
        ? new MockResponse.Builder().code(503).body("{\"detail\":\"busy\"}").build()
        : fake.signedUrlAnswer();
    AiSession session = port(fake.keyedSettings()).prepare(CallId.of("call-1"));
    waitUntil("the first signed URL request fails", ((ElevenLabsSession) session)::signedUrlArrived);

    session.open(options(), listener);

    listener.await(Ready.class);
    assertEquals(2, calls.get());
  }

  // ------------------------------------------------------------------ starting the conversation

  @Test void givenFirstMessageLanguageAndVariables_whenOpened_thenInitiationIsFirstFrameWithExactlyThose() throws Exception {
    Map<String, String> settings = fake.publicSettings();
    settings.put("ELEVENLABS_LANGUAGE", "ru");
    settings.put("ELEVENLABS_FIRST_MESSAGE", "from settings");
    AiSession session = port(settings).prepare(CallId.of("call-7"));
    Map<String, String> vars = new LinkedHashMap<>();
    vars.put("customer_name", "Анна");
    vars.put("order", "42");
    session.open(new AiCallOptions("Здравствуйте!", vars, "call-7"), listener);

    Conn conn = fake.agent.await();
    JsonNode first = FakeElevenLabs.JSON.readTree(conn.frames.poll(15, TimeUnit.SECONDS));
    JsonNode expected = FakeElevenLabs.JSON.readTree("{\"type\":\"conversation_initiation_client_data\","
        + "\"conversation_config_override\":{\"agent\":{\"first_message\":\"Здравствуйте!\",\"language\":\"ru\"}},"
        + "\"dynamic_variables\":{\"customer_name\":\"Анна\",\"order\":\"42\"},\"user_id\":\"call-7\"}");
    assertEquals(expected, first, "the call's first message wins over ELEVENLABS_FIRST_MESSAGE");
    listener.await(Ready.class);
  }

  @Test void givenNoOverrides_whenOpened_thenInitiationHoldsOnlyTypeAndUserId() throws Exception {
    port(fake.publicSettings()).prepare(CallId.of("call-2")).open(new AiCallOptions(" ", Map.of(), "call-2"), listener);

    JsonNode first = FakeElevenLabs.JSON.readTree(fake.agent.await().frames.poll(15, TimeUnit.SECONDS));

    assertEquals(FakeElevenLabs.JSON.readTree(
        "{\"type\":\"conversation_initiation_client_data\",\"user_id\":\"call-2\"}"), first);
  }

  @Test void givenFirstMessageOnlyInSettings_whenOpened_thenInitiationUsesIt() throws Exception {
    Map<String, String> settings = fake.publicSettings();
    settings.put("ELEVENLABS_FIRST_MESSAGE", "Добрый день");
    port(settings).prepare(CallId.of("call-3")).open(new AiCallOptions(null, Map.of(), "call-3"), listener);

    JsonNode first = FakeElevenLabs.JSON.readTree(fake.agent.await().frames.poll(15, TimeUnit.SECONDS));

    assertEquals("Добрый день", first.path("conversation_config_override").path("agent").path("first_message").asText());
    assertFalse(first.path("conversation_config_override").path("agent").has("language"));
    assertFalse(first.has("dynamic_variables"));
  }

  // ------------------------------------------------------------------ audio formats

  @ParameterizedTest
  @ValueSource(strings = {"ulaw_8000", "pcm_8000", "pcm_16000", "pcm_22050", "pcm_24000", "pcm_44100", "pcm_48000"})
  void givenAgentFormat_whenMetadataArrives_thenReadyCarriesItAndAudioFlowsInIt(String format) throws Exception {
    fake.agent.inputFormat = format;
    fake.agent.outputFormat = format;
    Opened o = openReady(fake.publicSettings());
    AudioFormat expected = AudioFormat.parse(format);
    assertEquals(expected, o.ready().input());
    assertEquals(expected, o.ready().output());

    byte[] callee = pattern(expected.bytesFor(100), 3);
    for (int off = 0; off < callee.length; off += expected.bytesFor(20)) {
      o.session().sendAudio(callee, off, expected.bytesFor(20));
    }
    byte[] first = Base64.getDecoder().decode(o.conn().awaitAudioChunk().get("user_audio_chunk").asText());
    byte[] second = Base64.getDecoder().decode(o.conn().awaitAudioChunk().get("user_audio_chunk").asText());
    assertEquals(expected.bytesFor(50), first.length, "default chunk is 50 ms");
    assertArrayEquals(java.util.Arrays.copyOfRange(callee, 0, first.length), first);
    assertArrayEquals(java.util.Arrays.copyOfRange(callee, first.length, 2 * first.length), second);

    byte[] agent = pattern(expected.bytesFor(60), 11);
    o.conn().send(FakeElevenLabs.audio(agent, 1));
    Audio a = listener.await(Audio.class);
    assertArrayEquals(agent, a.data());
    assertEquals(1, a.eventId());
  }

  @Test void givenUnsupportedFormat_whenMetadataArrives_thenSessionFailsNamingItAndClosesTheSocket() throws Exception {
    fake.agent.inputFormat = "opus_48000";
    port(fake.publicSettings()).prepare(CallId.of("call-1")).open(options(), listener);
    Conn conn = fake.agent.await();

    AiEnd end = listener.await(Ended.class).end();

    assertFalse(end.byAgent());
    assertTrue(end.message().contains("opus_48000"), end.message());
    assertTrue(end.message().contains("ulaw_8000"), "says what to choose instead: " + end.message());
    assertEquals(1000, conn.awaitClientClose());
    assertTrue(listener.all(Ready.class).isEmpty());
  }

  // ------------------------------------------------------------------ downstream

  @Test void givenPing_whenReceived_thenPongWithSameEventId() throws Exception {
    Opened o = openReady(fake.publicSettings());

    o.conn().send("{\"type\":\"ping\",\"ping_event\":{\"event_id\":5,\"ping_ms\":48}}");
    JsonNode pong = o.conn().awaitType("pong");
    o.conn().send("{\"type\":\"ping\",\"ping_event\":{\"event_id\":6,\"ping_ms\":null}}");
    JsonNode pong2 = o.conn().awaitType("pong");

    assertEquals(FakeElevenLabs.JSON.readTree("{\"type\":\"pong\",\"event_id\":5}"), pong);
    assertEquals(6, pong2.get("event_id").asLong());
  }

  @Test void givenInterruption_whenLateAudioOfThatIdArrives_thenItIsDroppedAndLaterIdsPlay() throws Exception {
    Opened o = openReady(fake.publicSettings());
    byte[] a1 = pattern(640, 1);
    byte[] late = pattern(640, 2);
    byte[] a2 = pattern(640, 3);

    o.conn().send(FakeElevenLabs.audio(a1, 4));
    o.conn().send("{\"type\":\"interruption\",\"interruption_event\":{\"event_id\":4}}");
    o.conn().send(FakeElevenLabs.audio(late, 4));
    o.conn().send(FakeElevenLabs.audio(late, 3));
    o.conn().send(FakeElevenLabs.audio(a2, 5));

    assertArrayEquals(a1, listener.await(Audio.class).data());
    assertEquals(4, listener.await(Interrupted.class).eventId());
    Audio next = listener.await(Audio.class);
    assertEquals(5, next.eventId(), "audio of ids at or below the interruption never reaches the core");
    assertArrayEquals(a2, next.data());
    assertEquals(2, ((ElevenLabsSession) o.session()).lateAudioDropped());
    assertEquals(2, listener.all(Audio.class).size());
  }

  @Test void givenAgentResponseCorrectionAndTranscripts_whenReceived_thenCoreGetsFinalTextsOnly() throws Exception {
    Opened o = openReady(fake.publicSettings());

    o.conn().send("{\"type\":\"agent_response\",\"agent_response_event\":{\"agent_response\":\"Здравствуйте! Чем могу помочь?\",\"event_id\":1}}");
    o.conn().send("{\"type\":\"tentative_user_transcript\",\"tentative_user_transcription_event\":{\"user_transcript\":\"Ал\",\"event_id\":2}}");
    o.conn().send("{\"type\":\"user_transcript\",\"user_transcription_event\":{\"user_transcript\":\"Алло, кто это?\",\"event_id\":2}}");
    o.conn().send("{\"type\":\"agent_response_correction\",\"agent_response_correction_event\":{"
        + "\"original_agent_response\":\"Здравствуйте! Чем могу помочь?\",\"corrected_agent_response\":\"Здравствуйте!\",\"event_id\":1}}");
    o.conn().send("{\"type\":\"vad_score\",\"vad_score_event\":{\"vad_score\":0.93}}");

    assertEquals(new Transcript(TranscriptEntry.Role.AGENT, "Здравствуйте! Чем могу помочь?"), listener.await(Transcript.class));
    assertEquals(new Transcript(TranscriptEntry.Role.USER, "Алло, кто это?"), listener.await(Transcript.class));
    assertEquals(new Corrected("Здравствуйте! Чем могу помочь?", "Здравствуйте!"), listener.await(Corrected.class));
    assertEquals(2, listener.all(Transcript.class).size(), "the tentative transcript is not stored");
  }

  @Test void givenClientToolCallWithoutHandler_whenReceived_thenNotAvailableErrorResult() throws Exception {
    Opened o = openReady(fake.publicSettings());

    o.conn().send("{\"type\":\"client_tool_call\",\"client_tool_call\":{\"tool_name\":\"lookup_order\","
        + "\"tool_call_id\":\"t1\",\"parameters\":{\"order\":42,\"urgent\":true},\"event_id\":3}}");

    ToolCall call = listener.await(ToolCall.class);
    assertEquals("lookup_order", call.name());
    assertEquals(Map.of("order", 42, "urgent", true), call.parameters());
    JsonNode result = o.conn().awaitType("client_tool_result");
    assertEquals("t1", result.get("tool_call_id").asText());
    assertTrue(result.get("is_error").asBoolean());
    assertTrue(result.get("result").asText().contains("not available"), result.toString());
  }

  @Test void givenClientToolCallWithHandler_whenReceived_thenItsResultIsSent() throws Exception {
    listener.tools = call -> ToolResult.ok("order " + call.parameters().get("order") + " ships tomorrow");
    Opened o = openReady(fake.publicSettings());

    o.conn().send("{\"type\":\"client_tool_call\",\"client_tool_call\":{\"tool_name\":\"lookup_order\","
        + "\"tool_call_id\":\"t9\",\"parameters\":{\"order\":42},\"event_id\":3}}");

    JsonNode result = o.conn().awaitType("client_tool_result");
    assertEquals(FakeElevenLabs.JSON.readTree("{\"type\":\"client_tool_result\",\"tool_call_id\":\"t9\","
        + "\"result\":\"order 42 ships tomorrow\",\"is_error\":false}"), result);
  }

  @Test void givenMalformedJsonAndBase64_whenReceived_thenCountedAndTheSessionGoesOn() throws Exception {
    Opened o = openReady(fake.publicSettings());
    ElevenLabsSession s = (ElevenLabsSession) o.session();

    o.conn().send("{not json");
    o.conn().send("{\"type\":\"audio\",\"audio_event\":{\"audio_base_64\":\"!!!not base64!!!\",\"event_id\":1}}");
    o.conn().send("[1,2,3]");
    o.conn().send("{\"no_type\":{}}");
    o.conn().send("{\"type\":\"user_transcript\"}");
    o.conn().ws.send(ByteString.encodeUtf8("binary"));
    o.conn().send("{\"type\":\"some_future_event\",\"some_future_event\":{\"x\":1}}");
    o.conn().send("{\"type\":\"some_future_event\",\"some_future_event\":{\"x\":2}}");
    byte[] good = pattern(320, 9);
    o.conn().send(FakeElevenLabs.audio(good, 2));
    o.conn().send("{\"type\":\"ping\",\"ping_event\":{\"event_id\":77}}");

    assertArrayEquals(good, listener.await(Audio.class).data());
    assertEquals(77, o.conn().awaitType("pong").get("event_id").asLong());
    assertEquals(6, s.malformedMessages());
    assertEquals(0, listener.endedCount.get(), "the call survives");
    assertEquals(ElevenLabsSession.State.READY, s.state());
  }

  // ------------------------------------------------------------------ upstream

  @Test void givenAnswerBufferOf3Seconds_whenHandedOverInOneBurstAtReady_thenAllOfItReachesTheAgentInOrder() throws Exception {
    fake.agent.inputFormat = "pcm_8000";
    Opened o = openReady(fake.publicSettings());
    int frame = AudioFormat.PCM_8K.bytesFor(20);
    byte[] piece = new byte[frame];
    // 150 pieces of 20 ms, each stamped with its index, as the core drains its answer buffer: in one go.
    for (int i = 0; i < 150; i++) {
      java.util.Arrays.fill(piece, (byte) i);
      o.session().sendAudio(piece, 0, frame);
    }

    List<byte[]> chunks = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      chunks.add(Base64.getDecoder().decode(o.conn().awaitAudioChunk().get("user_audio_chunk").asText()));
    }
    for (int c = 0; c < 60; c++) {
      byte[] chunk = chunks.get(c);
      assertEquals(AudioFormat.PCM_8K.bytesFor(50), chunk.length);
      for (int b = 0; b < chunk.length; b++) {
        int piece20ms = (c * chunk.length + b) / frame;
        assertEquals((byte) piece20ms, chunk[b], "chunk " + c + " byte " + b + " out of order or lost");
      }
    }
    assertEquals(0, ((ElevenLabsSession) o.session()).upstreamForTest().droppedChunks());
  }

  // ------------------------------------------------------------------ ending

  @Test void givenEndCallToolThenNormalClose_whenServerCloses_thenEndedByAgentOnce() throws Exception {
    Opened o = openReady(fake.publicSettings());

    o.conn().send("{\"type\":\"agent_tool_response\",\"agent_tool_response\":{\"tool_name\":\"end_call\","
        + "\"tool_call_id\":\"e1\",\"tool_type\":\"system\",\"is_error\":false,\"is_called\":true,\"event_id\":9}}");
    o.conn().ws.close(1000, "end_call");

    AiEnd end = listener.await(Ended.class).end();
    assertTrue(end.byAgent());
    assertTrue(end.message().contains("end_call"), end.message());
    assertEquals(1000, o.conn().awaitClientClose(), "the closing handshake is completed");
    o.session().close();
    port.close();
    assertEquals(1, listener.endedCount.get());
  }

  @Test void givenNormalCloseWithoutEndCall_whenServerCloses_thenEndedByAgentWithTheReason() throws Exception {
    Opened o = openReady(fake.publicSettings());

    o.conn().send("{\"type\":\"error\",\"error_event\":{\"error_type\":\"max_duration_exceeded\",\"message\":\"Maximum duration reached\"}}");
    o.conn().ws.close(1000, "max duration");

    AiEnd end = listener.await(Ended.class).end();
    assertTrue(end.byAgent(), "a normal close plays out the agent's last words");
    assertTrue(end.message().contains("max_duration_exceeded"), end.message());
  }

  @Test void givenNormalCloseBeforeTheConversationStarted_whenServerCloses_thenFailedNotAnAgentHangup() throws Exception {
    fake.agent.inputFormat = null;
    port(fake.publicSettings()).prepare(CallId.of("call-1")).open(options(), listener);
    Conn conn = fake.agent.await();
    conn.awaitType("conversation_initiation_client_data");

    conn.ws.close(1000, "bye");

    AiEnd end = listener.await(Ended.class).end();
    assertFalse(end.byAgent());
    assertTrue(end.message().contains("before it started"), end.message());
  }

  @Test void givenOperationalFailure1002AfterErrorEvent_whenServerCloses_thenFailedNamingTheErrorType() throws Exception {
    Opened o = openReady(fake.publicSettings());

    o.conn().send("{\"type\":\"error\",\"error_event\":{\"code\":1002,\"error_type\":\"llm_timeout\",\"message\":\"LLM did not answer\"}}");
    o.conn().ws.close(1002, "llm_timeout");

    AiEnd end = listener.await(Ended.class).end();
    assertFalse(end.byAgent());
    assertTrue(end.message().contains("1002") && end.message().contains("llm_timeout"), end.message());
    assertTrue(end.message().contains("not reconnecting"), end.message());
  }

  @Test void givenOverrideNotAllowed_whenServerCloses1008_thenMessageSaysWhatToEnable() throws Exception {
    Map<String, String> settings = fake.publicSettings();
    settings.put("ELEVENLABS_FIRST_MESSAGE", "Привет");
    fake.agent.inputFormat = null; // the real server refuses before metadata
    port(settings).prepare(CallId.of("call-1")).open(options(), listener);
    Conn conn = fake.agent.await();
    conn.awaitType("conversation_initiation_client_data");

    conn.send("{\"type\":\"error\",\"error_event\":{\"code\":1008,\"error_type\":\"override_error\","
        + "\"message\":\"Override for field 'first_message' is not allowed by config.\"}}");
    conn.ws.close(1008, "Override for field 'first_message' is not allowed by config.");

    AiEnd end = listener.await(Ended.class).end();
    assertFalse(end.byAgent());
    assertTrue(end.message().contains("first_message"), end.message());
    assertTrue(end.message().contains("Security → Overrides"), end.message());
    assertTrue(end.message().contains("Enable"), end.message());
  }

  @Test void givenMissingDynamicVariable_whenServerCloses1008_thenMessageSaysToSupplyIt() throws Exception {
    fake.agent.inputFormat = null;
    port(fake.publicSettings()).prepare(CallId.of("call-1")).open(options(), listener);
    Conn conn = fake.agent.await();
    conn.awaitType("conversation_initiation_client_data");

    conn.send("{\"type\":\"error\",\"error_event\":{\"error_type\":\"missing_dynamic_variable\",\"message\":\"Missing customer_name\"}}");
    conn.ws.close(1008, "Missing required dynamic variables");

    AiEnd end = listener.await(Ended.class).end();
    assertTrue(end.message().contains("dynamic_variables"), end.message());
  }

  @Test void givenInternalError1011_whenServerCloses_thenFailed() throws Exception {
    Opened o = openReady(fake.publicSettings());

    o.conn().ws.close(1011, "unknown_websocket_crash");

    AiEnd end = listener.await(Ended.class).end();
    assertFalse(end.byAgent());
    assertTrue(end.message().contains("internal error") && end.message().contains("1011"), end.message());
  }

  @Test void givenConcurrencyRefusal_whenServerCloses_thenMessageNamesThePlanLimit() throws Exception {
    fake.agent.inputFormat = null;
    port(fake.publicSettings()).prepare(CallId.of("call-1")).open(options(), listener);
    Conn conn = fake.agent.await();

    conn.ws.close(1008, "Too many concurrent conversations for this workspace");

    AiEnd end = listener.await(Ended.class).end();
    assertTrue(end.message().contains("concurrency limit"), end.message());
    assertTrue(end.message().contains("MAX_CONCURRENT_CALLS"), end.message());
  }

  @Test void givenUpgradeAnswered429_whenOpened_thenMessageNamesThePlanLimit() throws Exception {
    fake.onUpgrade = r -> new MockResponse.Builder().code(429).body("{\"detail\":\"too_many_concurrent_requests\"}").build();
    port(fake.publicSettings()).prepare(CallId.of("call-1")).open(options(), listener);

    AiEnd end = listener.await(Ended.class).end();

    assertTrue(end.message().contains("concurrency limit") && end.message().contains("429"), end.message());
  }

  @Test void givenSignedUrlAnswered429_whenOpened_thenMessageNamesThePlanLimit() throws Exception {
    fake.onSignedUrl = r -> new MockResponse.Builder().code(429)
        .body("{\"detail\":{\"status\":\"too_many_concurrent_requests\",\"message\":\"limit 4\"}}").build();
    port(fake.keyedSettings()).prepare(CallId.of("call-1")).open(options(), listener);

    AiEnd end = listener.await(Ended.class).end();

    assertTrue(end.message().contains("concurrency limit"), end.message());
    assertEquals(0, fake.upgradeRequests.size());
  }

  @Test void givenKeyRejected_whenOpened_thenMessageNamesTheSettingButNotTheKey() throws Exception {
    fake.onSignedUrl = r -> new MockResponse.Builder().code(401)
        .body("{\"detail\":{\"status\":\"invalid_api_key\",\"message\":\"Invalid API key\"}}").build();
    port(fake.keyedSettings()).prepare(CallId.of("call-1")).open(options(), listener);

    AiEnd end = listener.await(Ended.class).end();

    assertTrue(end.message().contains("ELEVENLABS_API_KEY") && end.message().contains("401"), end.message());
    assertFalse(end.message().contains(FakeElevenLabs.API_KEY));
  }

  @Test void givenPrivateAgentWithoutKey_whenUpgradeRefused403_thenMessageSaysToSetTheKey() throws Exception {
    fake.onUpgrade = r -> new MockResponse.Builder().code(403).build();
    port(fake.publicSettings()).prepare(CallId.of("call-1")).open(options(), listener);

    AiEnd end = listener.await(Ended.class).end();

    assertTrue(end.message().contains("ELEVENLABS_API_KEY") && end.message().contains("403"), end.message());
  }

  @Test void givenSocketDroppedWithoutCloseFrame_whenMidCall_thenFailedSayingItDroppedAndNoReconnect() throws Exception {
    fake.onUpgrade = r -> FakeElevenLabs.rawSocketDroppedAfterMetadata(r,
        FakeElevenLabs.metadata("conv_drop", "pcm_16000", "pcm_16000"));
    port(fake.publicSettings()).prepare(CallId.of("call-1")).open(options(), listener);

    assertEquals("conv_drop", listener.await(Ready.class).conversationId());
    AiEnd end = listener.await(Ended.class).end();

    assertFalse(end.byAgent());
    assertTrue(end.message().contains("dropped mid-call"), end.message());
    assertTrue(end.message().contains("not reconnecting"), end.message());
    assertEquals(1, fake.upgradeRequests.size(), "no second connection");
  }

  @Test void givenUpgradeNeverAnswered_whenConnectTimeoutPasses_thenFailedSayingSo() throws Exception {
    fake.onUpgrade = r -> new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build();
    Map<String, String> settings = fake.publicSettings();
    settings.put("ELEVENLABS_CONNECT_TIMEOUT_S", "1");
    port(settings).prepare(CallId.of("call-1")).open(options(), listener);

    AiEnd end = listener.await(Ended.class).end();

    assertFalse(end.byAgent());
    assertTrue(end.message().contains("not ready within 1 s") && end.message().contains("ELEVENLABS_CONNECT_TIMEOUT_S"),
        end.message());
  }

  @Test void givenMetadataNeverSent_whenConnectTimeoutPasses_thenFailedAndSocketClosed() throws Exception {
    fake.agent.inputFormat = null;
    Map<String, String> settings = fake.publicSettings();
    settings.put("ELEVENLABS_CONNECT_TIMEOUT_S", "3"); // room for the socket to open first on a loaded machine
    port(settings).prepare(CallId.of("call-1")).open(options(), listener);
    Conn conn = fake.agent.await();

    AiEnd end = listener.await(Ended.class).end();

    assertTrue(end.message().contains("no conversation_initiation_metadata"), end.message());
    assertEquals(1000, conn.awaitClientClose());
  }

  @Test void givenOpenSession_whenWeClose_thenServerGetsNormalCloseAndCoreHearsNoEnd() throws Exception {
    Opened o = openReady(fake.publicSettings());

    o.session().close();

    assertEquals(1000, o.conn().awaitClientClose());
    port.close(); // waits for the socket's reader to finish: every callback has run
    assertEquals(0, listener.endedCount.get(), "close() from the core is never answered with ended()");
    o.session().sendAudio(new byte[640], 0, 640); // harmless after close
  }

  @Test void givenPreparedSession_whenClosedBeforeOpen_thenNoSocketIsOpened() throws Exception {
    AiSession session = port(fake.keyedSettings()).prepare(CallId.of("call-1"));
    session.close();
    session.open(options(), listener); // the core would not, but it must be harmless

    port.close();
    assertEquals(0, fake.upgradeRequests.size());
    assertEquals(0, listener.endedCount.get());
  }

  // ------------------------------------------------------------------ secrets

  @Test void givenKeyAndSignedUrl_whenCallsSucceedAndFail_thenNeitherAppearsInTheLog() throws Exception {
    Opened o = openReady(fake.keyedSettings());
    o.conn().send("{broken");
    o.conn().ws.close(1011, "crash");
    listener.await(Ended.class);
    // A failing upgrade on a signed URL, whose error paths quote URLs and exceptions.
    fake.onUpgrade = r -> new MockResponse.Builder().code(403).build();
    RecordingListener second = new RecordingListener();
    port.prepare(CallId.of("call-2")).open(options(), second);
    second.await(Ended.class);
    port.close();

    String log = Files.readString(Path.of("target/elevenlabs-tests.log"), StandardCharsets.UTF_8);
    assertTrue(log.contains("connecting to ElevenLabs ws://"), "the log file is the one the adapter writes to");
    assertFalse(log.contains(FakeElevenLabs.API_KEY), "the API key is in the log");
    assertFalse(log.contains(FakeElevenLabs.SIGNATURE_PREFIX), "a signed-URL signature is in the log");
  }

  static byte[] pattern(int length, int seed) {
    byte[] b = new byte[length];
    for (int i = 0; i < length; i++) b[i] = (byte) (i * 31 + seed * 7);
    return b;
  }
}
