package io.voiceagent.elevenlabs;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.voiceagent.core.config.Settings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Predicate;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import okio.Buffer;

/**
 * ElevenLabs as the tests see it: one MockWebServer answering the signed-URL REST call and the conversation
 * WebSocket (real HTTP, real upgrade, real frames). Each accepted socket becomes a {@link Conn} the test drives.
 */
public final class FakeElevenLabs implements AutoCloseable {
  public static final String AGENT_ID = "agent_test01";
  static final String API_KEY = "sk_TEST_KEY_7f3a9c1e5b";
  static final String SIGNATURE_PREFIX = "SIGNATURE_TOKEN_";
  static final String CONVERSATION_PATH = "/v1/convai/conversation";
  static final String SIGNED_URL_PATH = "/v1/convai/conversation/get-signed-url";
  static final ObjectMapper JSON = new ObjectMapper();

  public final MockWebServer server = new MockWebServer();
  public final Agent agent = new Agent();
  final BlockingQueue<RecordedRequest> signedUrlRequests = new LinkedBlockingQueue<>();
  final BlockingQueue<RecordedRequest> upgradeRequests = new LinkedBlockingQueue<>();
  final AtomicInteger signaturesIssued = new AtomicInteger();
  /** How the signed-URL request is answered; default: 200 with a fresh signature each time. */
  volatile Function<RecordedRequest, MockResponse> onSignedUrl = r -> signedUrlAnswer();
  /** How the conversation upgrade is answered; default: a WebSocket to {@link #agent}. */
  volatile Function<RecordedRequest, MockResponse> onUpgrade = r -> new MockResponse.Builder().webSocketUpgrade(agent).build();
  /** Host name the signed URL points at (the test may route it through a proxy by name). */
  volatile String signedUrlHost;

  public FakeElevenLabs() throws IOException {
    server.setDispatcher(new Dispatcher() {
      @Override public MockResponse dispatch(RecordedRequest request) {
        String path = request.getUrl().encodedPath();
        if (path.equals(SIGNED_URL_PATH)) {
          signedUrlRequests.add(request);
          return onSignedUrl.apply(request);
        }
        if (path.equals(CONVERSATION_PATH)) {
          upgradeRequests.add(request);
          return onUpgrade.apply(request);
        }
        return new MockResponse.Builder().code(404).build();
      }
    });
    server.start();
    signedUrlHost = server.getHostName();
  }

  public String wsUrl() {
    return "ws://" + server.getHostName() + ":" + server.getPort() + CONVERSATION_PATH;
  }

  public String apiUrl() {
    return "http://" + server.getHostName() + ":" + server.getPort();
  }

  MockResponse signedUrlAnswer() {
    String url = "ws://" + signedUrlHost + ":" + server.getPort() + CONVERSATION_PATH + "?agent_id=" + AGENT_ID
        + "&conversation_signature=" + SIGNATURE_PREFIX + signaturesIssued.incrementAndGet();
    return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
        .body("{\"signed_url\":\"" + url + "\"}").build();
  }

  /** Settings for a public agent (no key). */
  public Map<String, String> publicSettings() {
    Map<String, String> m = new HashMap<>();
    m.put("ELEVENLABS_AGENT_ID", AGENT_ID);
    m.put("ELEVENLABS_WS_URL", wsUrl());
    m.put("ELEVENLABS_API_URL", apiUrl());
    m.put("ELEVENLABS_WS_PING_S", "0");
    return m;
  }

  Map<String, String> keyedSettings() {
    Map<String, String> m = publicSettings();
    m.put("ELEVENLABS_API_KEY", API_KEY);
    return m;
  }

  static Settings settings(Map<String, String> values) {
    return Settings.of(values);
  }

  @Override public void close() {
    agent.closeAll();
    server.close();
  }

  /** An upgrade answered by hand, whose socket is dropped (no close frame) once the metadata went out. */
  static MockResponse rawSocketDroppedAfterMetadata(RecordedRequest request, String metadataJson) {
    String key = request.getHeaders().get("Sec-WebSocket-Key");
    return new MockResponse.Builder()
        .code(101)
        .setHeader("Connection", "Upgrade")
        .setHeader("Upgrade", "websocket")
        .setHeader("Sec-WebSocket-Accept", accept(key))
        .socketHandler(socket -> {
          try {
            // Wait for the client's first frame (the initiation) so the drop comes mid-conversation.
            okio.BufferedSource in = okio.Okio.buffer(socket.getSource());
            in.require(2);
            Buffer frame = new Buffer();
            byte[] payload = metadataJson.getBytes(StandardCharsets.UTF_8);
            frame.writeByte(0x81); // FIN + text
            if (payload.length < 126) {
              frame.writeByte(payload.length);
            } else {
              frame.writeByte(126);
              frame.writeShort(payload.length);
            }
            frame.write(payload);
            socket.getSink().write(frame, frame.size());
            socket.getSink().flush();
          } catch (IOException e) {
            // the client went away first: nothing to drop
          } finally {
            socket.cancel(); // TCP goes away without a close frame
          }
        })
        .build();
  }

  static String accept(String key) {
    try {
      byte[] sha1 = MessageDigest.getInstance("SHA-1")
          .digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII));
      return Base64.getEncoder().encodeToString(sha1);
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  public static String metadata(String conversationId, String input, String output) {
    return "{\"type\":\"conversation_initiation_metadata\",\"conversation_initiation_metadata_event\":{"
        + "\"conversation_id\":\"" + conversationId + "\",\"agent_output_audio_format\":\"" + output
        + "\",\"user_input_audio_format\":\"" + input + "\"}}";
  }

  public static String audio(byte[] data, long eventId) {
    // The field order ElevenLabs uses: the audio first, its event id after it.
    return "{\"type\":\"audio\",\"audio_event\":{\"audio_base_64\":\"" + Base64.getEncoder().encodeToString(data)
        + "\",\"event_id\":" + eventId + "}}";
  }

  /** The server side of the conversation WebSocket; one {@link Conn} per accepted socket. */
  public static final class Agent extends WebSocketListener {
    public final BlockingQueue<Conn> connections = new LinkedBlockingQueue<>();
    private final Map<WebSocket, Conn> bySocket = new ConcurrentHashMap<>();
    /** Formats announced in the metadata sent in reply to the initiation; null: send none. */
    public volatile String inputFormat = "pcm_16000";
    public volatile String outputFormat = "pcm_16000";
    public final AtomicInteger conversations = new AtomicInteger();

    @Override public void onOpen(WebSocket ws, Response response) {
      Conn c = new Conn(ws, response);
      bySocket.put(ws, c);
      connections.add(c);
    }

    @Override public void onMessage(WebSocket ws, String text) {
      Conn c = bySocket.get(ws);
      c.frames.add(text);
      c.allFrames.add(text);
      if (text.contains("\"conversation_initiation_client_data\"") && inputFormat != null) {
        c.conversationId = "conv_" + conversations.incrementAndGet();
        ws.send(metadata(c.conversationId, inputFormat, outputFormat));
      }
    }

    @Override public void onClosing(WebSocket ws, int code, String reason) {
      bySocket.get(ws).clientClose.complete(code);
      ws.close(1000, null);
    }

    @Override public void onFailure(WebSocket ws, Throwable t, Response response) {
      Conn c = bySocket.get(ws);
      if (c != null) c.failure.complete(t);
    }

    public Conn await() throws InterruptedException {
      Conn c = connections.poll(15, TimeUnit.SECONDS);
      if (c == null) fail("no WebSocket reached the fake agent within 15 s");
      return c;
    }

    void closeAll() {
      for (WebSocket ws : bySocket.keySet()) ws.close(1001, "server stops");
    }
  }

  /** One socket as the server sees it. */
  public static final class Conn {
    final WebSocket ws;
    final Response upgrade;
    final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
    public final List<String> allFrames = java.util.Collections.synchronizedList(new ArrayList<>());
    final CompletableFuture<Integer> clientClose = new CompletableFuture<>();
    final CompletableFuture<Throwable> failure = new CompletableFuture<>();
    volatile String conversationId;

    Conn(WebSocket ws, Response upgrade) {
      this.ws = ws;
      this.upgrade = upgrade;
    }

    /** The next frame the client sent that matches, skipping others (audio, say). */
    public JsonNode await(Predicate<JsonNode> wanted, String what) throws Exception {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
      while (true) {
        long left = deadline - System.nanoTime();
        String f = left <= 0 ? null : frames.poll(left, TimeUnit.NANOSECONDS);
        if (f == null) fail("the client sent no " + what + " within 15 s; it sent " + allFrames.size() + " frames");
        JsonNode n = JSON.readTree(f);
        if (wanted.test(n)) return n;
      }
    }

    public JsonNode awaitType(String type) throws Exception {
      return await(n -> type.equals(n.path("type").asText()), type);
    }

    public JsonNode awaitAudioChunk() throws Exception {
      return await(n -> n.has("user_audio_chunk"), "user_audio_chunk");
    }

    public void send(String json) {
      ws.send(json);
    }

    public int awaitClientClose() throws Exception {
      return clientClose.get(15, TimeUnit.SECONDS);
    }
  }

  static Duration seconds(int s) {
    return Duration.ofSeconds(s);
  }
}
