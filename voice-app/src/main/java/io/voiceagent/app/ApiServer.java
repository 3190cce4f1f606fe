package io.voiceagent.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.voiceagent.core.VoiceAgent;
import io.voiceagent.core.call.Call;
import io.voiceagent.core.call.CallException;
import io.voiceagent.core.call.CallId;
import io.voiceagent.core.call.CallLimitException;
import io.voiceagent.core.call.CallNotFoundException;
import io.voiceagent.core.call.CallStateException;
import io.voiceagent.core.call.CallStatus;
import io.voiceagent.core.call.InvalidCallRequestException;
import io.voiceagent.core.call.PhoneNumber;
import io.voiceagent.core.call.TelephonyUnavailableException;
import io.voiceagent.core.config.Secret;
import io.voiceagent.core.service.CallService;
import io.voiceagent.core.service.StartCallCommand;
import io.voiceagent.core.service.StartResult;
import io.voiceagent.core.telephony.TelephonyHealth;
import io.voiceagent.core.telephony.WebhookReceiver;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The REST API of SPEC on the JDK's built-in HTTP server. JSON in and out with snake_case fields; every
 * error is {@code {"error": code, "message": text}}. Bodies are capped at 64 KiB; {@code APP_API_TOKEN} is
 * compared in constant time; the call id goes into the log context of every request about a call.
 */
final class ApiServer implements AutoCloseable {
  static final int MAX_BODY_BYTES = 64 * 1024;
  private static final Logger log = LoggerFactory.getLogger(ApiServer.class);

  /** A route: method, path template (for docs and the OpenAPI test) and its handler. */
  record Route(String method, String template, Pattern pattern, Handler handler) {}

  @FunctionalInterface
  interface Handler {
    Response handle(Request request) throws IOException;
  }

  record Request(String method, String path, Matcher params, Map<String, String> query, byte[] body,
      HttpExchange exchange) {
    String header(String name) {
      return exchange.getRequestHeaders().getFirst(name);
    }
  }

  record Response(int status, Object body) {}

  private final VoiceAgent agent;
  private final CallService calls;
  private final Secret token;
  private final HttpServer server;
  private final ThreadPoolExecutor executor;
  private final ObjectMapper json = new ObjectMapper();
  private final List<Route> routes = new ArrayList<>();
  private volatile boolean shuttingDown;

  ApiServer(VoiceAgent agent, Secret token, InetSocketAddress bind) throws IOException {
    this.agent = agent;
    this.calls = agent.calls();
    this.token = token;
    AtomicInteger n = new AtomicInteger();
    this.executor = new ThreadPoolExecutor(4, 4, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(256), r -> {
      Thread t = new Thread(r, "api-http-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    }, new ThreadPoolExecutor.CallerRunsPolicy());
    this.server = HttpServer.create(bind, 128);
    server.setExecutor(executor);
    server.createContext("/", this::dispatch);

    route("POST", "/api/calls", this::startCall);
    route("POST", "/api/calls/dial", this::startCall);
    route("POST", "/api/calls/start", this::startCall);
    route("POST", "/api/calls/hangup", this::hangupNamedOrOnly);
    route("GET", "/api/calls", this::listCalls);
    route("GET", "/api/calls/{id}", r -> new Response(200, CallJson.of(calls.get(callId(r)))));
    route("POST", "/api/calls/{id}/hangup", r -> new Response(200, CallJson.of(calls.hangup(callId(r)))));
    route("POST", "/api/calls/{id}/dtmf", this::dtmf);
    route("GET", "/api/calls/{id}/media", this::media);
    route("GET", "/health", this::health);
    route("POST", "/webhooks/exolve/callback", this::webhook);
  }

  private void route(String method, String template, Handler handler) {
    String regex = template.replace("{id}", "([^/]+)");
    routes.add(new Route(method, template, Pattern.compile(regex), handler));
  }

  List<Route> routes() {
    return List.copyOf(routes);
  }

  void start() {
    server.start();
    log.info("REST API listening on http://{}:{}", server.getAddress().getHostString(), port());
  }

  int port() {
    return server.getAddress().getPort();
  }

  /** From now on every request gets 503: the service is going down. */
  void beginShutdown() {
    shuttingDown = true;
  }

  @Override public void close() {
    shuttingDown = true;
    server.stop(0);
    executor.shutdown();
    try {
      if (!executor.awaitTermination(2, TimeUnit.SECONDS)) executor.shutdownNow();
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  // ------------------------------------------------------------------ dispatch

  private void dispatch(HttpExchange ex) {
    String path = ex.getRequestURI().getRawPath();
    String method = ex.getRequestMethod().toUpperCase(Locale.ROOT);
    Response response;
    try {
      response = route(ex, path, method);
    } catch (CallException e) {
      response = error(statusOf(e), e.code(), e.getMessage());
    } catch (BadRequest e) {
      response = error(e.status, e.code, e.getMessage());
    } catch (RuntimeException | IOException e) {
      log.error("{} {} failed", method, path, e);
      response = error(500, "internal_error", "internal error: " + e.getClass().getSimpleName());
    } finally {
      MDC.remove("call_id");
    }
    send(ex, response);
  }

  private Response route(HttpExchange ex, String path, String method) throws IOException {
    if (shuttingDown) return error(503, "shutting_down", "the service is shutting down");
    List<String> allowed = new ArrayList<>();
    for (Route r : routes) {
      Matcher m = r.pattern().matcher(path);
      if (!m.matches()) continue;
      if (!r.method().equals(method)) {
        allowed.add(r.method());
        continue;
      }
      if (path.startsWith("/api/") && !authorized(ex)) {
        ex.getResponseHeaders().set("WWW-Authenticate", "Bearer");
        return error(401, "unauthorized", "missing or wrong bearer token (APP_API_TOKEN)");
      }
      if (m.groupCount() > 0) MDC.put("call_id", m.group(1));
      byte[] body = readBody(ex);
      return r.handler().handle(new Request(method, path, m, query(ex), body, ex));
    }
    if (!allowed.isEmpty()) {
      ex.getResponseHeaders().set("Allow", String.join(", ", allowed));
      return error(405, "method_not_allowed", method + " is not allowed on " + path + "; use " + String.join(" or ", allowed));
    }
    return error(404, "not_found", "no such endpoint: " + method + " " + path);
  }

  private boolean authorized(HttpExchange ex) {
    if (token == null) return true;
    String header = ex.getRequestHeaders().getFirst("Authorization");
    String expected = "Bearer " + token.reveal();
    return header != null && MessageDigest.isEqual(header.getBytes(StandardCharsets.UTF_8),
        expected.getBytes(StandardCharsets.UTF_8));
  }

  private byte[] readBody(HttpExchange ex) throws IOException {
    String length = ex.getRequestHeaders().getFirst("Content-Length");
    if (length != null) {
      try {
        if (Long.parseLong(length.trim()) > MAX_BODY_BYTES) {
          discard(ex);
          throw tooLarge();
        }
      } catch (NumberFormatException e) {
        throw new BadRequest(400, "invalid_request", "Content-Length is not a number");
      }
    }
    try (InputStream in = ex.getRequestBody()) {
      byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
      if (body.length > MAX_BODY_BYTES) {
        discard(ex);
        throw tooLarge();
      }
      return body;
    }
  }

  /**
   * Reads and drops what the client is still sending (up to 1 MiB) so that it gets our 413 instead of a
   * reset connection; past that the connection is closed.
   */
  private static void discard(HttpExchange ex) {
    try (InputStream in = ex.getRequestBody()) {
      long left = 1 << 20;
      byte[] sink = new byte[8192];
      int n;
      while (left > 0 && (n = in.read(sink, 0, (int) Math.min(sink.length, left))) > 0) left -= n;
      if (left <= 0) ex.getResponseHeaders().set("Connection", "close");
    } catch (IOException e) {
      ex.getResponseHeaders().set("Connection", "close");
    }
  }

  private static BadRequest tooLarge() {
    return new BadRequest(413, "payload_too_large", "request body is larger than " + MAX_BODY_BYTES + " bytes");
  }

  private static Map<String, String> query(HttpExchange ex) {
    Map<String, String> out = new LinkedHashMap<>();
    String raw = ex.getRequestURI().getRawQuery();
    if (raw == null || raw.isEmpty()) return out;
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      out.put(k, v);
    }
    return out;
  }

  private void send(HttpExchange ex, Response r) {
    try (ex) {
      byte[] bytes = r.body() == null ? new byte[0] : json.writeValueAsBytes(r.body());
      ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
      ex.sendResponseHeaders(r.status(), bytes.length == 0 ? -1 : bytes.length);
      if (bytes.length > 0) {
        try (OutputStream out = ex.getResponseBody()) {
          out.write(bytes);
        }
      }
    } catch (IOException e) {
      log.debug("could not answer {} {}: {}", ex.getRequestMethod(), ex.getRequestURI().getPath(), e.toString());
    }
  }

  static Response error(int status, String code, String message) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", code);
    body.put("message", message);
    return new Response(status, body);
  }

  private static int statusOf(CallException e) {
    if (e instanceof InvalidCallRequestException) return 400;
    if (e instanceof CallNotFoundException) return 404;
    if (e instanceof CallStateException) return 409;
    if (e instanceof CallLimitException) return 429;
    if (e instanceof TelephonyUnavailableException) return 503;
    return 500;
  }

  /** A request refused before it reached a use case. */
  private static final class BadRequest extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int status;
    final String code;

    BadRequest(int status, String code, String message) {
      super(message);
      this.status = status;
      this.code = code;
    }
  }

  // ------------------------------------------------------------------ handlers

  private ObjectNode jsonBody(Request r, boolean required) {
    if (r.body().length == 0) {
      if (required) throw new BadRequest(400, "invalid_request", "a JSON body is required");
      return json.createObjectNode();
    }
    String type = r.header("Content-Type");
    if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
      throw new BadRequest(415, "unsupported_media_type", "Content-Type must be application/json");
    }
    JsonNode node;
    try {
      node = json.readTree(r.body());
    } catch (JsonProcessingException e) {
      throw new BadRequest(400, "invalid_request", "body is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new BadRequest(400, "invalid_request", "body is not valid JSON");
    }
    if (node == null || !node.isObject()) throw new BadRequest(400, "invalid_request", "body must be a JSON object");
    return (ObjectNode) node;
  }

  private static String optionalText(ObjectNode body, String field) {
    JsonNode n = body.get(field);
    if (n == null || n.isNull()) return null;
    if (!n.isTextual()) throw new InvalidCallRequestException(field, field + " must be a string");
    return n.asText();
  }

  private Response startCall(Request r) {
    ObjectNode body = jsonBody(r, true);
    JsonNode number = body.get("phone_number");
    if (number == null || number.isNull()) throw new InvalidCallRequestException("phone_number", "phone_number is required");
    if (!number.isTextual()) throw new InvalidCallRequestException("phone_number", "phone_number must be a string");
    String firstMessage = optionalText(body, "first_message");
    Map<String, String> variables = new LinkedHashMap<>();
    JsonNode vars = body.get("dynamic_variables");
    if (vars != null && !vars.isNull()) {
      if (!vars.isObject()) {
        throw new InvalidCallRequestException("dynamic_variables", "dynamic_variables must be an object of strings");
      }
      Iterator<Map.Entry<String, JsonNode>> it = vars.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!e.getValue().isTextual()) {
          throw new InvalidCallRequestException("dynamic_variables",
              "dynamic_variables." + e.getKey() + " must be a string");
        }
        variables.put(e.getKey(), e.getValue().asText());
      }
    }
    StartResult result = calls.start(new StartCallCommand(PhoneNumber.parse(number.asText()), firstMessage, variables,
        r.header("Idempotency-Key")));
    MDC.put("call_id", result.call().id().value());
    return new Response(result.created() ? 201 : 200, CallJson.of(result.call()));
  }

  private Response listCalls(Request r) {
    CallStatus status = null;
    String s = r.query().get("status");
    if (s != null && !s.isEmpty()) {
      try {
        status = CallStatus.fromWireName(s);
      } catch (IllegalArgumentException e) {
        throw new InvalidCallRequestException("status", "status '" + s + "' is not a call status");
      }
    }
    int limit = 100;
    String l = r.query().get("limit");
    if (l != null && !l.isEmpty()) {
      try {
        limit = Integer.parseInt(l);
      } catch (NumberFormatException e) {
        limit = -1;
      }
      if (limit < 1 || limit > 1000) throw new InvalidCallRequestException("limit", "limit must be 1-1000");
    }
    List<Object> out = new ArrayList<>();
    for (Call c : calls.list(status, limit)) out.add(CallJson.of(c));
    return new Response(200, Map.of("calls", out));
  }

  private Response hangupNamedOrOnly(Request r) {
    ObjectNode body = jsonBody(r, false);
    String id = optionalText(body, "call_id");
    if (id != null) {
      MDC.put("call_id", id);
      return new Response(200, CallJson.of(calls.hangup(CallId.of(id))));
    }
    List<Call> active = new ArrayList<>();
    for (Call c : calls.list(null, 1000)) {
      if (!c.isFinal()) active.add(c);
    }
    if (active.size() != 1) {
      throw new CallStateException(active.isEmpty() ? "no call is active" : active.size()
          + " calls are active; name one with call_id");
    }
    MDC.put("call_id", active.get(0).id().value());
    return new Response(200, CallJson.of(calls.hangup(active.get(0).id())));
  }

  private Response dtmf(Request r) {
    ObjectNode body = jsonBody(r, true);
    JsonNode digits = body.get("digits");
    if (digits == null || !digits.isTextual()) throw new InvalidCallRequestException("digits", "digits must be a string");
    calls.sendDtmf(callId(r), digits.asText());
    return new Response(202, Map.of("call_id", callId(r).value(), "digits", digits.asText()));
  }

  private Response media(Request r) {
    CallId id = callId(r);
    return calls.mediaStats(id).<Response>map(stats -> new Response(200, CallJson.of(stats)))
        .orElseGet(() -> error(404, "not_found", "call " + id + " has no media statistics (no media session yet)"));
  }

  private Response health(Request r) {
    TelephonyHealth h = calls.health();
    Map<String, Object> telephony = new LinkedHashMap<>();
    telephony.put("provider", h.provider());
    telephony.put("ready", h.ready());
    telephony.put("state", h.state());
    telephony.putAll(h.details());
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", h.ready() ? "ok" : "degraded");
    body.put("telephony", telephony);
    body.put("ai_provider", calls.aiProviderName());
    body.put("active_calls", calls.activeCalls());
    return new Response(h.ready() ? 200 : 503, body);
  }

  private Response webhook(Request r) {
    Optional<WebhookReceiver> receiver = agent.webhooks();
    if (receiver.isEmpty()) {
      return error(404, "not_found", "webhooks are not enabled: telephony is " + agent.telephonyProviderName()
          + " (set USE_EXOLVE_HTTP=true)");
    }
    Map<String, String> headers = new LinkedHashMap<>();
    r.exchange().getRequestHeaders().forEach((k, v) -> {
      if (!v.isEmpty()) headers.put(k.toLowerCase(Locale.ROOT), v.get(0));
    });
    WebhookReceiver.Response answer = receiver.get().handle(headers, r.query(), r.body());
    try {
      return new Response(answer.status(), answer.jsonBody() == null ? null : json.readTree(answer.jsonBody()));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("webhook receiver answered invalid JSON", e);
    }
  }

  private static CallId callId(Request r) {
    return CallId.of(r.params().group(1));
  }
}
