package io.voiceagent.elevenlabs;

import io.voiceagent.core.net.Socks5Proxy;

import io.voiceagent.core.config.ConfigException;
import io.voiceagent.core.config.Secret;
import io.voiceagent.core.config.Settings;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;

/**
 * The adapter's settings, validated. URLs are kept in OkHttp's {@code http(s)} form; {@code ws(s)} is only how
 * users write them.
 *
 * @param apiKey             {@code ELEVENLABS_API_KEY}, or null: then the agent must be public
 * @param agentId            {@code ELEVENLABS_AGENT_ID}
 * @param wsUrl              {@code ELEVENLABS_WS_URL}: the conversation endpoint for public agents
 * @param apiUrl             {@code ELEVENLABS_API_URL}: REST base for signed URLs
 * @param firstMessage       {@code ELEVENLABS_FIRST_MESSAGE}, or null (the agent's own)
 * @param language           {@code ELEVENLABS_LANGUAGE}, or null (the agent's own)
 * @param connectTimeout     {@code ELEVENLABS_CONNECT_TIMEOUT_S}: open → conversation metadata
 * @param chunkMillis        {@code ELEVENLABS_CHUNK_MS}: callee audio per {@code user_audio_chunk}
 * @param backlogMillis      {@code ELEVENLABS_UPSTREAM_BACKLOG_MS}: callee audio that may wait on our side
 * @param pingInterval       {@code ELEVENLABS_WS_PING_S}: WebSocket-level ping to notice a dead TCP link; zero
 *                           turns it off
 * @param maxConcurrentCalls {@code MAX_CONCURRENT_CALLS}: sizes OkHttp's dispatcher
 * @param proxy              {@code SOCKS5_PROXY}, or null
 */
record ElevenLabsConfig(Secret apiKey, String agentId, HttpUrl wsUrl, HttpUrl apiUrl, String firstMessage,
    String language, Duration connectTimeout, int chunkMillis, int backlogMillis, Duration pingInterval,
    int maxConcurrentCalls, Socks5Proxy proxy) {

  static final String API_KEY = "ELEVENLABS_API_KEY";
  static final String AGENT_ID = "ELEVENLABS_AGENT_ID";
  static final String WS_URL = "ELEVENLABS_WS_URL";
  static final String API_URL = "ELEVENLABS_API_URL";
  static final String FIRST_MESSAGE = "ELEVENLABS_FIRST_MESSAGE";
  static final String LANGUAGE = "ELEVENLABS_LANGUAGE";
  static final String CONNECT_TIMEOUT_S = "ELEVENLABS_CONNECT_TIMEOUT_S";
  static final String CHUNK_MS = "ELEVENLABS_CHUNK_MS";
  static final String UPSTREAM_BACKLOG_MS = "ELEVENLABS_UPSTREAM_BACKLOG_MS";
  static final String WS_PING_S = "ELEVENLABS_WS_PING_S";
  static final String MAX_CONCURRENT_CALLS = "MAX_CONCURRENT_CALLS";

  static final String DEFAULT_WS_URL = "wss://api.elevenlabs.io/v1/convai/conversation";
  static final String DEFAULT_API_URL = "https://api.elevenlabs.io";

  /** Agent ids are short tokens ({@code agent_01jz…}); anything with spaces or slashes is a paste error. */
  private static final Pattern AGENT_ID_SHAPE = Pattern.compile("[A-Za-z0-9_-]{1,128}");
  /** ISO 639-1/639-3 with an optional region, as ElevenLabs names languages ({@code ru}, {@code pt-br}). */
  private static final Pattern LANGUAGE_SHAPE = Pattern.compile("[a-z]{2,3}(-[a-z0-9]{2,4})?");

  ElevenLabsConfig {
    Objects.requireNonNull(agentId, "agentId");
    Objects.requireNonNull(wsUrl, "wsUrl");
    Objects.requireNonNull(apiUrl, "apiUrl");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(pingInterval, "pingInterval");
    if (chunkMillis < 20 || chunkMillis > 250) {
      throw new IllegalArgumentException("chunkMillis is " + chunkMillis + ", expected 20..250");
    }
    if (backlogMillis < chunkMillis) {
      throw new IllegalArgumentException("backlogMillis is " + backlogMillis + ", expected at least one chunk ("
          + chunkMillis + ")");
    }
    if (maxConcurrentCalls < 1) {
      throw new IllegalArgumentException("maxConcurrentCalls is " + maxConcurrentCalls + ", expected ≥ 1");
    }
  }

  static ElevenLabsConfig from(Settings s) {
    String agentId = s.required(AGENT_ID, "by the elevenlabs AI provider");
    if (!AGENT_ID_SHAPE.matcher(agentId).matches()) {
      throw new ConfigException(AGENT_ID, AGENT_ID + " is '" + agentId
          + "', expected an agent id such as agent_01jx… (letters, digits, '_' and '-')");
    }
    Secret apiKey = s.secret(API_KEY).orElse(null);
    if (apiKey != null) checkHeaderSafe(apiKey.reveal());
    String language = s.get(LANGUAGE).map(v -> v.toLowerCase(Locale.ROOT)).orElse(null);
    if (language != null && !LANGUAGE_SHAPE.matcher(language).matches()) {
      throw new ConfigException(LANGUAGE, LANGUAGE + " is '" + language + "', expected a language code such as ru or en");
    }
    int chunkMillis = s.integer(CHUNK_MS, 50, 20, 250);
    int backlogMillis = s.integer(UPSTREAM_BACKLOG_MS, 1000, 100, 10_000);
    if (backlogMillis < chunkMillis) {
      throw new ConfigException(UPSTREAM_BACKLOG_MS, UPSTREAM_BACKLOG_MS + " is " + backlogMillis
          + ", expected at least " + CHUNK_MS + " (" + chunkMillis + ")");
    }
    Socks5Proxy proxy = s.get(Socks5Proxy.VARIABLE).map(Socks5Proxy::parse).orElse(null);
    return new ElevenLabsConfig(
        apiKey,
        agentId,
        url(s, WS_URL, DEFAULT_WS_URL, true),
        url(s, API_URL, DEFAULT_API_URL, false),
        s.get(FIRST_MESSAGE).orElse(null),
        language,
        s.seconds(CONNECT_TIMEOUT_S, 5, 1, 120),
        chunkMillis,
        backlogMillis,
        s.seconds(WS_PING_S, 15, 0, 300),
        s.integer(MAX_CONCURRENT_CALLS, 100, 1, 100_000),
        proxy);
  }

  /** Reads a URL setting; WebSocket ones must be {@code ws(s)://} (or {@code http(s)://}), REST ones {@code http(s)://}. */
  private static HttpUrl url(Settings s, String name, String defaultValue, boolean webSocket) {
    String v = s.string(name, defaultValue);
    String expected = webSocket ? "a ws:// or wss:// URL" : "an http:// or https:// URL";
    HttpUrl parsed = HttpUrl.parse(webSocket ? toHttpScheme(v) : v);
    if (parsed == null || (!webSocket && !(v.startsWith("http://") || v.startsWith("https://")))) {
      throw new ConfigException(name, name + " is '" + v + "', expected " + expected);
    }
    return parsed;
  }

  /** OkHttp speaks WebSocket over {@code http(s)} URLs: {@code ws://} → {@code http://}, {@code wss://} → {@code https://}. */
  static String toHttpScheme(String url) {
    if (url.regionMatches(true, 0, "ws:", 0, 3)) return "http:" + url.substring(3);
    if (url.regionMatches(true, 0, "wss:", 0, 4)) return "https:" + url.substring(4);
    return url;
  }

  /** An URL for a log line: scheme, host, port and path; never the query, which may carry a signature. */
  static String redact(HttpUrl url) {
    String scheme = url.isHttps() ? "wss" : "ws";
    return scheme + "://" + url.host() + (url.port() == HttpUrl.defaultPort(url.scheme()) ? "" : ":" + url.port())
        + url.encodedPath();
  }

  /**
   * An API key with a character OkHttp refuses in a header would fail every call with an exception that
   * echoes the header value; refuse it here, naming only the position.
   */
  private static void checkHeaderSafe(String key) {
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c <= ' ' || c >= 0x7f) {
        throw new ConfigException(API_KEY, API_KEY + " has a space or non-ASCII character at position " + (i + 1)
            + "; expected the key exactly as ElevenLabs shows it (the value is not shown)");
      }
    }
  }

  /** The agent's conversation URL without credentials: for public agents. */
  HttpUrl publicConversationUrl() {
    return wsUrl.newBuilder().setQueryParameter("agent_id", agentId).build();
  }

  /** The documented (hyphenated) signed-URL endpoint; {@code get_signed_url} is the deprecated alias. */
  HttpUrl signedUrlEndpoint() {
    return apiUrl.newBuilder()
        .addPathSegments("v1/convai/conversation/get-signed-url")
        .setQueryParameter("agent_id", agentId)
        .build();
  }

  @Override public String toString() {
    return "ElevenLabsConfig[agent " + agentId + ", key " + (apiKey == null ? "none (public agent)" : "****")
        + ", ws " + redact(wsUrl) + ", api " + apiUrl + ", chunk " + chunkMillis + " ms, backlog " + backlogMillis
        + " ms, connect timeout " + connectTimeout.toSeconds() + " s, ws ping " + pingInterval.toSeconds()
        + " s, calls " + maxConcurrentCalls + (proxy == null ? "" : ", proxy " + proxy) + "]";
  }
}
