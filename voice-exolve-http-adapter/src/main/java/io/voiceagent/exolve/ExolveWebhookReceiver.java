package io.voiceagent.exolve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voiceagent.core.config.Secret;
import io.voiceagent.core.telephony.WebhookReceiver;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /webhooks/exolve/callback}: Exolve's call events. Answers at once; the events are processed on the
 * adapter's own thread. With {@code EXOLVE_WEBHOOK_SECRET} set, a request must carry it in the
 * {@code X-Webhook-Secret} header (compared in constant time) or gets 401. A body that is not JSON gets 400;
 * an event of an unknown type is logged and still answered 200 (Exolve's schema is not documented).
 */
final class ExolveWebhookReceiver implements WebhookReceiver {
  private static final Logger log = LoggerFactory.getLogger(ExolveWebhookReceiver.class);
  static final String PATH = "/webhooks/exolve/callback";
  /** The header carrying the secret, lower case as the app passes header names. */
  static final String SECRET_HEADER = "x-webhook-secret";
  /** The URL parameter that may carry the secret instead ({@code …/callback?key=…}). */
  static final String SECRET_QUERY = "key";

  private final byte[] secretDigest;
  private final ObjectMapper json;
  private final Predicate<List<WebhookEvent>> sink;
  private final AtomicLong rejected = new AtomicLong();

  /**
   * @param secret the shared secret, or null to accept every request
   * @param sink   takes the events for processing; false when it cannot now (answered 503, Exolve may retry)
   */
  ExolveWebhookReceiver(Secret secret, ObjectMapper json, Predicate<List<WebhookEvent>> sink) {
    this.secretDigest = secret == null ? null : sha256(secret.reveal());
    this.json = json;
    this.sink = sink;
  }

  @Override public String path() {
    return PATH;
  }

  @Override public Response handle(Map<String, String> headers, byte[] body) {
    return handle(headers, Map.of(), body);
  }

  /** As {@link #handle(Map, byte[])}; the secret may also come as the URL's {@code key} parameter. */
  @Override public Response handle(Map<String, String> headers, Map<String, String> query, byte[] body) {
    if (secretDigest != null) {
      String given = headers == null ? null : headers.get(SECRET_HEADER);
      if (given == null && query != null) given = query.get(SECRET_QUERY);
      // Digests have one length, so the comparison time says nothing about the secret or its length.
      if (given == null || !MessageDigest.isEqual(secretDigest, sha256(given))) {
        rejected.incrementAndGet();
        log.warn("call event rejected: the {} header is {}", "X-Webhook-Secret", given == null ? "missing" : "wrong");
        return error(401, "unauthorized", "the webhook secret is missing or wrong: send EXOLVE_WEBHOOK_SECRET in the"
            + " X-Webhook-Secret header or as ?key=");
      }
    }
    if (body == null || body.length == 0) return error(400, "bad_request", "the body is empty; expected a JSON call event");
    JsonNode root;
    try {
      root = json.readTree(body);
    } catch (IOException e) {
      String text = new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8).replaceAll("\\p{Cntrl}", " ");
      log.warn("call event is not JSON: '{}'", text);
      return error(400, "bad_request", "the body is not JSON; expected a call event object");
    }
    List<WebhookEvent> events = new ArrayList<>();
    if (root != null && root.isObject()) {
      events.add(WebhookEvent.parse(root));
    } else if (root != null && root.isArray()) {
      for (JsonNode n : root) {
        if (n.isObject()) events.add(WebhookEvent.parse(n));
      }
    }
    if (events.isEmpty()) {
      log.warn("call event body holds no JSON object: '{}'", ExolveHttpConfig.printable(String.valueOf(root)));
      return error(400, "bad_request", "expected a JSON object (or an array of objects) with type and call_id");
    }
    if (!sink.test(events)) {
      return error(503, "unavailable", "call events cannot be taken now; try again");
    }
    ObjectNode ok = json.createObjectNode();
    ok.put("status", "accepted");
    ok.put("events", events.size());
    return new Response(200, ok.toString());
  }

  /** Requests turned away for a missing or wrong secret. */
  long rejected() {
    return rejected.get();
  }

  private Response error(int status, String code, String message) {
    ObjectNode e = json.createObjectNode();
    e.put("error", code);
    e.put("message", message);
    try {
      return new Response(status, json.writeValueAsString(e));
    } catch (JsonProcessingException ex) {
      throw new IllegalStateException(ex);
    }
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
