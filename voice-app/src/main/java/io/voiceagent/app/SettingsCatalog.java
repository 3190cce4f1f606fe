package io.voiceagent.app;

import io.voiceagent.core.config.ConfigException;
import io.voiceagent.core.config.Settings;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Every setting the app knows: its default, what it means, how to check it. {@code --help} prints this list
 * and {@code docs/configuration.md} documents it (a test keeps the two in step).
 */
final class SettingsCatalog {
  enum Kind { TEXT, SECRET, BOOL, INT, CHOICE }

  /** One setting. {@code min}/{@code max} for INT; {@code choices} for CHOICE. */
  record Setting(String name, String defaultValue, String meaning, Kind kind, int min, int max, List<String> choices) {
    static Setting text(String name, String def, String meaning) {
      return new Setting(name, def, meaning, Kind.TEXT, 0, 0, List.of());
    }

    static Setting secret(String name, String meaning) {
      return new Setting(name, "—", meaning, Kind.SECRET, 0, 0, List.of());
    }

    static Setting bool(String name, String def, String meaning) {
      return new Setting(name, def, meaning, Kind.BOOL, 0, 0, List.of());
    }

    static Setting integer(String name, String def, int min, int max, String meaning) {
      return new Setting(name, def, meaning, Kind.INT, min, max, List.of());
    }

    static Setting choice(String name, String def, String meaning, String... choices) {
      return new Setting(name, def, meaning, Kind.CHOICE, 0, 0, List.of(choices));
    }

    /** Checks the value in {@code s}, if set. */
    void validate(Settings s) {
      switch (kind) {
        case BOOL: s.bool(name, false); break;
        case INT: s.integer(name, 0, min, max); break;
        case CHOICE: s.choice(name, null, choices.toArray(new String[0])); break;
        default: break;
      }
    }
  }

  static final List<Setting> ALL = List.of(
      // telephony
      Setting.bool("USE_EXOLVE_HTTP", "false", "true: calls are placed with Exolve's HTTP call API; false: with the SIP user agent"),
      Setting.text("EXOLVE_SIP_USER", "—", "SIP account login (digest auth); setting it selects SIP telephony"),
      Setting.secret("EXOLVE_SIP_PASS", "SIP account password"),
      Setting.text("EXOLVE_SIP_DOMAIN", "sip.exolve.ru", "SIP domain (realm side of the AOR)"),
      Setting.text("EXOLVE_SIP_PROXY", "the domain", "outbound proxy host[:port] where REGISTER and INVITE are sent"),
      Setting.text("EXOLVE_CALLER_ID", "SIP user", "number shown to the callee where the provider allows it"),
      Setting.choice("SIP_TRANSPORT", "udp", "SIP transport", "udp", "tcp", "tls"),
      Setting.integer("SIP_LOCAL_PORT", "first free in 5060-5080", 1, 65535, "local SIP port"),
      Setting.text("SIP_PUBLIC_ADDRESS", "—", "address to advertise in Contact and SDP behind NAT"),
      Setting.integer("SIP_KEEPALIVE_S", "25", 0, 3600, "keep the NAT binding to the proxy alive this often (CRLF or OPTIONS); 0 off"),
      Setting.choice("SIP_KEEPALIVE_METHOD", "crlf", "keepalive: RFC 5626 double CRLF or an OPTIONS request", "crlf", "options"),
      Setting.text("SIP_BIND_ADDRESS", "address routing to the proxy", "local IP the SIP stack binds to"),
      Setting.bool("SIP_REGISTER", "true", "false: never REGISTER (a trunk that needs none, a callee on loopback)"),
      Setting.integer("SIP_REGISTER_EXPIRES_S", "3600", 60, 86_400, "Expires asked for; the server may grant less"),
      Setting.integer("SIP_REGISTER_RETRY_MIN_S", "5", 1, 3600, "first back-off after a failed registration"),
      Setting.integer("SIP_REGISTER_RETRY_MAX_S", "300", 1, 86_400, "registration back-off cap"),
      Setting.integer("SIP_SESSION_EXPIRES_S", "1800", 0, 86_400, "RFC 4028 session interval asked for; 0 off, else ≥ 90"),
      Setting.integer("SIP_STACK_THREADS", "1", 1, 64, "jain-sip message-processing threads shared by all calls; more may reorder back-to-back responses"),
      Setting.integer("RTP_PORT_MIN", "10000", 1024, 65535, "first RTP port"),
      Setting.integer("RTP_PORT_MAX", "20000", 1024, 65535, "last RTP port"),
      Setting.integer("MEDIA_TIMEOUT_S", "30", 0, 3600, "no RTP this long during a call → it ends with media_timeout; 0 off"),
      Setting.integer("RTP_LEARNING_WINDOW_MS", "3000", 0, 60_000,
          "how long after the far end's SDP another media source may be latched (NAT); 0 never"),
      Setting.bool("RTP_STRICT_LATCHING", "false", "never latch onto another media source"),
      Setting.integer("RTP_PACER_SPIN_US", "0", 0, 5000, "spin this long before each 20 ms deadline instead of parking"),
      Setting.integer("RTP_IO_THREADS", "1", 1, 4, "RTP receive threads shared by all calls"),
      Setting.integer("RTP_JITTER_INITIAL_MS", "40", 20, 1000, "jitter buffer start delay"),
      Setting.integer("RTP_JITTER_MAX_MS", "200", 20, 1000, "jitter buffer cap"),
      Setting.secret("EXOLVE_API_KEY", "bearer token for Exolve's HTTP API"),
      Setting.text("EXOLVE_API_URL", "https://api.exolve.ru", "base URL of Exolve's HTTP API"),
      Setting.text("EXOLVE_SOURCE_NUMBER", "—", "number shown to the callee on HTTP-placed calls"),
      Setting.choice("EXOLVE_HTTP_METHOD", "MakeCallback", "MakeCallback (documented) or MakeCall (older, experimental)",
          "MakeCallback", "MakeCall"),
      Setting.text("EXOLVE_NUMBER_CODE", "—", "MakeCallback's number code"),
      Setting.text("EXOLVE_CALLBACK_RESOURCE_ID", "—", "MakeCallback's callback resource id"),
      Setting.choice("EXOLVE_CALLBACK_ORDER", "callee_first", "which MakeCallback leg rings first", "callee_first",
          "agent_first"),
      Setting.secret("EXOLVE_WEBHOOK_SECRET", "when set, Exolve webhook calls must carry it (header X-Webhook-Secret or ?key=)"),
      Setting.text("EXOLVE_AGENT_NUMBER", "SIP login", "destination of our own callback leg"),
      Setting.text("EXOLVE_LEG_MATCH_HEADER", "—", "INVITE header that names the call; when set, HTTP calls go in parallel"),
      Setting.text("EXOLVE_LEG_SOURCES", "—", "extra IP addresses allowed to bring call legs"),
      Setting.integer("EXOLVE_LEG_MARGIN_S", "15", 0, 3600, "how long past the HTTP and ring timeouts a late leg is still expected"),
      Setting.bool("EXOLVE_LEG_CHECK_FROM", "false", "a leg's From must be the callee or EXOLVE_SOURCE_NUMBER"),
      Setting.integer("EXOLVE_QUEUE_MAX", "50", 0, 100_000, "dials waiting for the pending call's leg; beyond it, 503"),
      Setting.integer("EXOLVE_POLL_INTERVAL_S", "15", 0, 3600, "GetInfo after this long without events; 0 off"),
      Setting.integer("EXOLVE_HTTP_TIMEOUT_S", "10", 1, 300, "Exolve HTTP API connect/read/write/whole-request timeout"),
      Setting.integer("EXOLVE_CAUSE_WAIT_MS", "3000", 0, 60_000, "how long an end without a cause waits for the event that has one"),
      // AI
      Setting.text("AI_PROVIDER", "see docs", "AI provider name: elevenlabs, sandbox, …"),
      Setting.secret("ELEVENLABS_API_KEY", "ElevenLabs API key, sent as xi-api-key to fetch signed URLs"),
      Setting.text("ELEVENLABS_AGENT_ID", "—", "ElevenLabs agent to talk to; setting it selects the elevenlabs provider"),
      Setting.text("ELEVENLABS_WS_URL", "wss://api.elevenlabs.io/v1/convai/conversation", "ElevenLabs WebSocket endpoint"),
      Setting.text("ELEVENLABS_API_URL", "https://api.elevenlabs.io", "ElevenLabs REST base (signed URLs)"),
      Setting.text("ELEVENLABS_FIRST_MESSAGE", "—", "overrides the agent's first message (enable the override on the agent)"),
      Setting.text("ELEVENLABS_LANGUAGE", "—", "language override, e.g. ru (enable the override on the agent)"),
      Setting.integer("ELEVENLABS_CONNECT_TIMEOUT_S", "5", 1, 120, "open → conversation ready, else the call ends ai_disconnected"),
      Setting.integer("ELEVENLABS_CHUNK_MS", "50", 20, 250, "callee audio per user_audio_chunk"),
      Setting.integer("ELEVENLABS_UPSTREAM_BACKLOG_MS", "1000", 100, 10_000,
          "callee audio that may wait on our side when the link is slow (oldest dropped)"),
      Setting.integer("ELEVENLABS_WS_PING_S", "15", 0, 300, "WebSocket-level ping so a dead link ends the call; 0 off"),
      Setting.secret("SOCKS5_PROXY", "socks5://[user:pass@]host:port for all outbound HTTP and WebSocket traffic"),
      // calls
      Setting.integer("MAX_CONCURRENT_CALLS", "100", 1, 100_000,
          "further dial requests get 429; keep it at or below the AI plan's concurrency"),
      Setting.integer("RING_TIMEOUT_S", "60", 1, 600, "unanswered this long → CANCEL → no_answer"),
      Setting.integer("MAX_CALL_DURATION_S", "600", 1, 86_400, "an answered call is hung up after this long (max_duration)"),
      // answering-machine detection
      Setting.choice("AMD_MODE", "detect", "detect: answering-machine detection between answer and AI; off", "detect", "off"),
      Setting.choice("AMD_MACHINE_ACTION", "hangup", "what to do with a machine", "hangup", "connect"),
      Setting.choice("AMD_NOTSURE_ACTION", "connect", "what to do when detection is not sure", "connect", "hangup"),
      Setting.text("AMD_MACHINE_FIRST_MESSAGE", "—", "with AMD_MACHINE_ACTION=connect: the agent's first message for a voicemail"),
      Setting.integer("AMD_INITIAL_SILENCE_MS", "2500", 20, 60_000, "silence before any speech this long → machine"),
      Setting.integer("AMD_GREETING_MS", "1500", 20, 60_000, "a greeting longer than this → machine"),
      Setting.integer("AMD_AFTER_GREETING_SILENCE_MS", "800", 20, 60_000, "silence this long after a short greeting → human"),
      Setting.integer("AMD_TOTAL_MS", "5000", 100, 60_000, "no verdict by then → notsure (the hard cap)"),
      Setting.integer("AMD_MIN_WORD_MS", "100", 20, 60_000, "shorter bursts of sound are not words"),
      Setting.integer("AMD_BETWEEN_WORDS_SILENCE_MS", "50", 20, 60_000, "silence that separates two words"),
      Setting.integer("AMD_MAX_WORDS", "3", 1, 100, "more words than this (the 4th) → machine"),
      Setting.integer("AMD_MAX_WORD_MS", "5000", 20, 60_000, "one word longer than this → machine"),
      Setting.integer("AMD_SILENCE_THRESHOLD", "256", 1, 32_767, "average magnitude (16-bit) below which a frame is silence"),
      Setting.integer("AMD_NOISE_FACTOR", "2", 0, 100, "the threshold rises to this many times the line's noise floor; 0 = plain Asterisk"),
      Setting.integer("AMD_GREETING_END_SILENCE_MS", "1000", 100, 60_000,
          "machine + connect: silence this long ends the greeting (or its beep does)"),
      Setting.integer("AMD_GREETING_END_MAX_MS", "20000", 100, 600_000,
          "machine + connect: wait at most this long for the greeting to end"),
      // app
      Setting.text("APP_HOST", "127.0.0.1", "REST API address"),
      Setting.integer("APP_PORT", "8000", 0, 65535, "REST API port (0: any free port)"),
      Setting.secret("APP_API_TOKEN", "when set, every /api/** call needs Authorization: Bearer <token>"),
      Setting.choice("APP_LOG_LEVEL", "INFO", "root log level", "TRACE", "DEBUG", "INFO", "WARN", "ERROR"),
      Setting.choice("LOG_FORMAT", "text", "text or json (one JSON object per line)", "text", "json"));

  private SettingsCatalog() {}

  /** Every problem with the settings, one line each (naming the variable, never echoing a secret). */
  static List<String> problems(Settings s) {
    List<String> out = new ArrayList<>();
    for (Setting setting : ALL) {
      try {
        setting.validate(s);
      } catch (ConfigException e) {
        out.add(setting.kind == Kind.SECRET ? setting.name + " is malformed" : e.getMessage());
      }
    }
    try {
      int min = s.integer("RTP_PORT_MIN", 10000, 1024, 65535);
      int max = s.integer("RTP_PORT_MAX", 20000, 1024, 65535);
      if (min >= max) out.add("RTP_PORT_MIN is " + min + ", expected below RTP_PORT_MAX (" + max + ")");
    } catch (ConfigException e) {
      // already reported above
    }
    if (s.isSet("EXOLVE_SIP_USER") && !s.isSet("EXOLVE_SIP_PASS")) {
      out.add("EXOLVE_SIP_PASS is not set; it is required with EXOLVE_SIP_USER");
    }
    if (s.isSet("SOCKS5_PROXY") && !s.string("SOCKS5_PROXY", "").toLowerCase(Locale.ROOT).startsWith("socks5://")) {
      out.add("SOCKS5_PROXY is malformed, expected socks5://[user:pass@]host:port");
    }
    return out;
  }

  /** The {@code --help} text. */
  static String help() {
    StringBuilder b = new StringBuilder();
    b.append("voice-agent: places phone calls and lets a conversational AI talk to whoever answers.\n\n")
        .append("Usage:\n")
        .append("  java -jar voice-app.jar          serve the REST API\n")
        .append("  java -jar voice-app.jar demo     sandbox demo: place one call, print it, hang up, exit\n")
        .append("  java -jar voice-app.jar --help   this text\n\n")
        .append("Settings come from the environment and a .env file in the working directory (the environment wins).\n")
        .append("With none set, everything runs offline in the sandbox.\n\n");
    int width = ALL.stream().mapToInt(x -> x.name().length()).max().orElse(20) + 2;
    for (Setting s : ALL) {
      b.append("  ").append(pad(s.name(), width)).append(s.meaning()).append(" (default: ").append(s.defaultValue())
          .append(")\n");
    }
    return b.toString();
  }

  private static String pad(String s, int width) {
    StringBuilder b = new StringBuilder(s);
    while (b.length() < width) b.append(' ');
    return b.toString();
  }
}
