package io.voiceagent.exolve;

import io.voiceagent.core.net.Socks5SocketFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voiceagent.core.call.CallId;
import io.voiceagent.core.call.PhoneNumber;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.math.BigInteger;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.Dispatcher;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Exolve's HTTP API: {@code call/v1/MakeCallback}, the experimental {@code call/v1/MakeCall}, and
 * {@code call/v1/GetInfo}. Asynchronous: results come back on OkHttp's {@code exolve-http-io} threads.
 *
 * <p>A call-placing request is sent once. OkHttp's silent retry on a failed connection is off and redirects are
 * not followed, because a second POST after a timeout could ring the callee twice; a failure says whether the
 * call may nevertheless have been placed ({@link Failure#mayHaveRung()}), so the caller can keep the audio-leg
 * slot closed until a late leg can no longer arrive.
 */
final class ExolveApi implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ExolveApi.class);
  private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");
  private static final int MAX_TEXT = 300;

  private final ExolveHttpConfig config;
  private final ObjectMapper json;
  private final OkHttpClient client;
  private final ExecutorService io;

  /** How a call-placing request ended. */
  interface PlaceCallback {
    /** Exolve accepted the call; {@code externalId} is its {@code call_id}. */
    void placed(String externalId);

    void failed(Failure failure);
  }

  /** How a GetInfo request ended: {@code status} is the field as sent, or null when there was none. */
  interface InfoCallback {
    void status(String status, String body);

    void failed(String message);
  }

  /**
   * A request that did not succeed.
   *
   * @param message    for the call's {@code message}: what was expected and what came; never the key
   * @param mayHaveRung true when Exolve may have placed the call anyway (timeout, 5xx, an unreadable 2xx)
   */
  record Failure(String message, boolean mayHaveRung) {}

  ExolveApi(ExolveHttpConfig config, ObjectMapper json) {
    this.config = config;
    this.json = json;
    AtomicInteger n = new AtomicInteger();
    this.io = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
      Thread t = new Thread(r, "exolve-http-io-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    Dispatcher dispatcher = new Dispatcher(io);
    dispatcher.setMaxRequests(16); // bounds the io threads: further requests wait in OkHttp's queue
    dispatcher.setMaxRequestsPerHost(16);
    Duration t = config.httpTimeout();
    OkHttpClient.Builder b = new OkHttpClient.Builder()
        .dispatcher(dispatcher)
        .connectTimeout(t)
        .readTimeout(t)
        .writeTimeout(t)
        .callTimeout(t)
        .retryOnConnectionFailure(false)
        .followRedirects(false)
        .followSslRedirects(false);
    if (config.socks5() != null) {
      // the proxy resolves host names: hand okhttp a placeholder that keeps the name
      b.socketFactory(new Socks5SocketFactory(config.socks5()))
          .dns(hostname -> java.util.List.of(Socks5SocketFactory.unresolved(hostname)));
    }
    this.client = b.build();
  }

  // ------------------------------------------------------------------ requests

  /** {@code MakeCallback}'s body as documented and as third-party clients send it (docs/exolve-http.md). */
  ObjectNode makeCallbackBody(CallId id, PhoneNumber callee, Duration ringTimeout) {
    long timeout = Math.max(1, ringTimeout.toSeconds());
    String first = config.order() == ExolveHttpConfig.Order.CALLEE_FIRST ? callee.digits() : config.agentNumber();
    String second = config.order() == ExolveHttpConfig.Order.CALLEE_FIRST ? config.agentNumber() : callee.digits();
    ObjectNode body = json.createObjectNode();
    body.put("number_code", config.numberCode());
    body.put("callback_resource_id", config.callbackResourceId());
    body.set("line_1", line(first, timeout));
    body.set("line_2", line(second, timeout));
    body.put("request_description", id.value());
    return body;
  }

  private ObjectNode line(String number, long timeoutSeconds) {
    ObjectNode line = json.createObjectNode();
    ObjectNode destination = line.putArray("destinations").addObject();
    destination.put("number", number);
    destination.put("timeout", timeoutSeconds);
    line.put("display_number", config.sourceNumber());
    return line;
  }

  /** The experimental {@code MakeCall} body: {@code {"source", "destination"}}. */
  ObjectNode makeCallBody(PhoneNumber callee) {
    ObjectNode body = json.createObjectNode();
    body.put("source", config.sourceNumber());
    body.put("destination", callee.digits());
    return body;
  }

  /** Places the call with the configured method; sent once, never retried. */
  void place(CallId id, PhoneNumber callee, Duration ringTimeout, PlaceCallback callback) {
    boolean isCallback = config.method() == ExolveHttpConfig.Method.MAKE_CALLBACK;
    String method = config.method().wireName;
    ObjectNode body = isCallback ? makeCallbackBody(id, callee, ringTimeout) : makeCallBody(callee);
    Request request = post("call/v1/" + method, body);
    log.info("call {}: {} {} ({} first)", id, method, request.url(),
        isCallback ? config.order().wireName().replace("_first", "") : "callee");
    log.debug("call {}: {} body {}", id, method, body);
    client.newCall(request).enqueue(new Callback() {
      @Override public void onFailure(Call call, IOException e) {
        try (var ignored = MDC.putCloseable("call_id", id.value())) {
          callback.failed(ioFailure(method, e));
        }
      }

      @Override public void onResponse(Call call, Response response) {
        try (var ignored = MDC.putCloseable("call_id", id.value()); response) {
          Failure f = placed(id, method, response, callback);
          if (f != null) callback.failed(f);
        } catch (IOException e) {
          callback.failed(ioFailure(method, e));
        }
      }
    });
  }

  /**
   * Reads a call-placing answer: a 2xx with {@code call_id} (MakeCall: or {@code external_id}) as a JSON string
   * or number calls {@code placed}; anything else is returned as the failure (or null once {@code placed} ran).
   */
  private Failure placed(CallId id, String method, Response response, PlaceCallback callback) throws IOException {
    String text = bodyText(response.body());
    int code = response.code();
    if (code < 200 || code > 299) {
      Failure f = httpFailure(method, code, text, response.header("Retry-After"));
      log.warn("call {}: {} answered HTTP {}: {}", id, method, code, mask(text));
      return f;
    }
    JsonNode root;
    try {
      root = json.readTree(text);
    } catch (JsonProcessingException e) {
      root = null;
    }
    if (root == null || !root.isObject()) {
      log.warn("call {}: {} answered HTTP {} with a body that is not a JSON object: {}", id, method, code, mask(text));
      return new Failure("Exolve answered " + method + " with HTTP " + code + " but its body is not JSON (expected "
          + "{\"call_id\": …}, got '" + excerpt(text) + "'); the call may have been placed and is not retried", true);
    }
    JsonNode callId = root.get("call_id");
    if ((callId == null || callId.isNull()) && config.method() == ExolveHttpConfig.Method.MAKE_CALL) {
      callId = root.get("external_id"); // MakeCall's answer is unknown: accept either name
    }
    String external = idText(callId);
    if (external == null) {
      log.warn("call {}: {} answered HTTP {} without a usable call_id [3P: expected a string or a number]: {}", id,
          method, code, mask(text));
      return new Failure("Exolve answered " + method + " with HTTP " + code + " but no call_id (expected "
          + "{\"call_id\": \"…\"} or a number, got '" + excerpt(text) + "'); the call may have been placed and is not "
          + "retried", true);
    }
    if (callId.isNumber()) log.debug("call {}: call_id came as a JSON number", id);
    log.info("call {}: Exolve accepted {}: call_id {}", id, method, external);
    callback.placed(external);
    return null;
  }

  /** {@code GetInfo} for {@code externalId}: its {@code status} field [3P], or a failure. */
  void getInfo(String externalId, InfoCallback callback) {
    ObjectNode body = json.createObjectNode();
    if (externalId.matches("[0-9]{1,20}") && new BigInteger(externalId).compareTo(ExolveHttpConfig.UINT64_MAX) <= 0) {
      body.put("call_id", new BigInteger(externalId));
    } else {
      body.put("call_id", externalId);
    }
    client.newCall(post("call/v1/GetInfo", body)).enqueue(new Callback() {
      @Override public void onFailure(Call call, IOException e) {
        callback.failed("GetInfo failed: " + e.getMessage());
      }

      @Override public void onResponse(Call call, Response response) {
        try (response) {
          String text = bodyText(response.body());
          if (!response.isSuccessful()) {
            callback.failed("GetInfo answered HTTP " + response.code() + ": " + excerpt(text));
            return;
          }
          JsonNode root;
          try {
            root = json.readTree(text);
          } catch (JsonProcessingException e) {
            callback.failed("GetInfo answered a body that is not JSON: '" + excerpt(text) + "'");
            return;
          }
          JsonNode status = root == null ? null : root.get("status");
          callback.status(status != null && status.isValueNode() ? status.asText() : null, excerpt(text));
        } catch (IOException e) {
          callback.failed("GetInfo failed: " + e.getMessage());
        }
      }
    });
  }

  private Request post(String path, ObjectNode body) {
    return new Request.Builder()
        .url(config.apiUrl().newBuilder().addPathSegments(path).build())
        .header("Authorization", "Bearer " + config.apiKey().reveal())
        .header("Accept", "application/json")
        .post(RequestBody.create(body.toString(), JSON))
        .build();
  }

  // ------------------------------------------------------------------ errors

  private Failure httpFailure(String method, int code, String body, String retryAfter) {
    String said = errorText(body);
    String tail = said.isEmpty() ? "" : ": " + said;
    switch (code) {
      case 401:
        return new Failure("Exolve refused the API key (HTTP 401" + tail + "); check EXOLVE_API_KEY", false);
      case 403:
        return new Failure("Exolve answered HTTP 403" + tail + " (a wrong or unauthorised EXOLVE_API_KEY, or a "
            + "destination the account may not call)", false);
      case 429:
        return new Failure("Exolve is limiting the request rate (HTTP 429" + (retryAfter == null ? "" : ", Retry-After "
            + retryAfter) + "): the call was not placed; try again later" + tail, false);
      case 400:
        return new Failure("Exolve rejected " + method + " (HTTP 400" + tail + ")" + (said.contains("proto:")
            ? "; a 'proto:' text means a field has the wrong JSON type or value (check EXOLVE_NUMBER_CODE, "
                + "EXOLVE_CALLBACK_RESOURCE_ID, EXOLVE_SOURCE_NUMBER and the number)" : ""), false);
      case 404:
        return new Failure("Exolve has no " + method + " at " + config.apiUrl() + " (HTTP 404" + tail + ")"
            + (config.method() == ExolveHttpConfig.Method.MAKE_CALL ? "; MakeCall is not publicly documented: "
                + "use EXOLVE_HTTP_METHOD=MakeCallback" : "; check EXOLVE_API_URL"), false);
      default:
        if (code >= 500 || code == 408) {
          return new Failure("Exolve failed on " + method + " (HTTP " + code + tail + "); the call may have been "
              + "placed and is not retried (a retry could ring the callee twice)", true);
        }
        return new Failure("Exolve answered " + method + " with HTTP " + code + tail, false);
    }
  }

  private static Failure ioFailure(String method, IOException e) {
    boolean notSent = e instanceof ConnectException || e instanceof UnknownHostException
        || e instanceof NoRouteToHostException || e instanceof Socks5SocketFactory.ProxyException;
    if (notSent) {
      return new Failure("cannot reach Exolve's API for " + method + ": " + e.getMessage() + " (check EXOLVE_API_URL"
          + " and SOCKS5_PROXY); the call was not placed", false);
    }
    String what = e instanceof InterruptedIOException ? "no answer from Exolve to " + method + " in time ("
        + e.getMessage() + ")" : method + " failed: " + e;
    return new Failure(what + "; the call may have been placed and is not retried (a retry could ring the callee "
        + "twice)", true);
  }

  /** The {@code message} of a gRPC-gateway style error body ({@code {"code","message","details"}} [unverified]), else the text. */
  private String errorText(String body) {
    if (body == null || body.isBlank()) return "";
    try {
      JsonNode root = json.readTree(body);
      if (root != null && root.hasNonNull("message")) return excerpt(root.get("message").asText());
      if (root != null && root.hasNonNull("error")) return excerpt(root.get("error").asText());
    } catch (JsonProcessingException e) {
      // plain text: shown as it is
    }
    return excerpt(body);
  }

  /** A uint64 id sent as a JSON string or a number, as text; null when missing, empty or another type. */
  static String idText(JsonNode node) {
    if (node == null || node.isNull()) return null;
    if (node.isIntegralNumber()) return node.bigIntegerValue().toString();
    if (node.isTextual() && !node.asText().isBlank()) return node.asText().trim();
    return null;
  }

  private String excerpt(String text) {
    if (text == null) return "";
    String t = mask(text.strip()).replaceAll("\\p{Cntrl}", " ");
    return t.length() > MAX_TEXT ? t.substring(0, MAX_TEXT) + "…" : t;
  }

  private String mask(String text) {
    return config.apiKey().maskIn(text);
  }

  private static String bodyText(ResponseBody body) throws IOException {
    return body == null ? "" : body.string();
  }

  @Override public void close() {
    client.dispatcher().cancelAll();
    io.shutdown();
    client.connectionPool().evictAll();
  }

  @Override public String toString() {
    return "ExolveApi[" + config.apiUrl() + ", key ****]";
  }
}
