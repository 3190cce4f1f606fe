package io.voiceagent.elevenlabs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.voiceagent.core.config.Secret;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * {@code GET /v1/convai/conversation/get-signed-url?agent_id=…} with {@code xi-api-key}, asynchronously on
 * OkHttp's dispatcher. The answer is a credential: it is kept as a {@link Secret} and only its redacted form is
 * ever logged.
 */
final class SignedUrlFetcher {
  /** ElevenLabs: a signed URL must be used within 15 minutes. */
  static final long LIFETIME_NANOS = TimeUnit.MINUTES.toNanos(15);
  /** Fetched again this long before it expires, so a connect that takes a while never starts on a dead URL. */
  static final long MARGIN_NANOS = TimeUnit.SECONDS.toNanos(60);
  /** Error bodies are quoted into messages up to this length. */
  private static final int MAX_DETAIL = 200;

  /** A signed URL and when it was fetched (by the port's nano clock). */
  record SignedUrl(Secret url, HttpUrl httpUrl, long fetchedNanos) {
    boolean fresh(long nowNanos) {
      return nowNanos - fetchedNanos < LIFETIME_NANOS - MARGIN_NANOS;
    }

    /** The query (the signature) alone, so a log line quoting only that is masked too. */
    Secret query() {
      String q = httpUrl.encodedQuery();
      return Secret.of(q == null ? "" : q);
    }
  }

  /** Why a signed URL could not be had; the message is safe to log and names what to check. */
  static final class SignedUrlException extends IOException {
    private static final long serialVersionUID = 1L;
    private final int status;

    SignedUrlException(String message, int status) {
      super(message);
      this.status = status;
    }

    /** The HTTP status, or 0 when there was no answer. */
    int status() {
      return status;
    }
  }

  /** A fetch in flight: its result, and the call to cancel when nobody needs it any more. */
  record Fetch(CompletableFuture<SignedUrl> result, Call call) {
    void cancel() {
      call.cancel();
    }
  }

  private final OkHttpClient client;
  private final ObjectMapper mapper;
  private final HttpUrl endpoint;
  private final Secret apiKey;
  private final long timeoutMillis;
  private final LongSupplier nanoClock;

  SignedUrlFetcher(OkHttpClient client, ObjectMapper mapper, HttpUrl endpoint, Secret apiKey, long timeoutMillis,
      LongSupplier nanoClock) {
    this.client = client;
    this.mapper = mapper;
    this.endpoint = endpoint;
    this.apiKey = apiKey;
    this.timeoutMillis = timeoutMillis;
    this.nanoClock = nanoClock;
  }

  Fetch fetch() {
    Request request = new Request.Builder().url(endpoint).header("xi-api-key", apiKey.reveal()).get().build();
    Call call = client.newCall(request);
    call.timeout().timeout(timeoutMillis, TimeUnit.MILLISECONDS);
    CompletableFuture<SignedUrl> result = new CompletableFuture<>();
    call.enqueue(new Callback() {
      @Override public void onResponse(Call c, Response response) {
        try (response) {
          result.complete(read(response));
        } catch (IOException | RuntimeException e) {
          result.completeExceptionally(e);
        }
      }

      @Override public void onFailure(Call c, IOException e) {
        result.completeExceptionally(c.isCanceled()
            ? new SignedUrlException("the signed-URL request was canceled", 0)
            : new SignedUrlException("the signed-URL request to " + endpoint.host() + " failed ("
                + apiKey.maskIn(EndMessages.describe(e)) + ")", 0));
      }
    });
    return new Fetch(result, call);
  }

  private SignedUrl read(Response response) throws IOException {
    ResponseBody body = response.body();
    String text = body.string();
    int status = response.code();
    if (status != 200) {
      String detail = apiKey.maskIn(errorDetail(text));
      switch (status) {
        case 401:
          throw new SignedUrlException("ElevenLabs rejected " + ElevenLabsConfig.API_KEY + " (HTTP 401"
              + detail + ")", status);
        case 403:
          throw new SignedUrlException("ElevenLabs refused a signed URL for this agent (HTTP 403" + detail
              + "); does the key belong to the agent's workspace and have Conversational AI access?", status);
        case 404:
          throw new SignedUrlException("ElevenLabs knows no such agent (HTTP 404" + detail + "); check "
              + ElevenLabsConfig.AGENT_ID, status);
        case 429:
          throw new SignedUrlException("HTTP 429 on the signed-URL request" + detail, status);
        default:
          throw new SignedUrlException("the signed-URL request answered HTTP " + status + detail, status);
      }
    }
    JsonNode node;
    try {
      node = mapper.readTree(text);
    } catch (IOException e) {
      throw new SignedUrlException("the signed-URL answer is not JSON", status);
    }
    JsonNode url = node == null ? null : node.get("signed_url");
    String value = url == null || !url.isTextual() ? null : url.asText();
    HttpUrl parsed = value == null ? null : HttpUrl.parse(ElevenLabsConfig.toHttpScheme(value));
    if (parsed == null || !(value.startsWith("ws://") || value.startsWith("wss://"))) {
      throw new SignedUrlException("the signed-URL answer has no ws:// or wss:// signed_url", status);
    }
    return new SignedUrl(Secret.of(value), parsed, nanoClock.getAsLong());
  }

  /** ElevenLabs errors look like {@code {"detail": {"status": "…", "message": "…"}}} or {@code {"detail": "…"}}. */
  private String errorDetail(String text) {
    String detail = null;
    try {
      JsonNode node = mapper.readTree(text);
      JsonNode d = node == null ? null : node.get("detail");
      if (d != null && d.isTextual()) detail = d.asText();
      if (d != null && d.isObject()) {
        String s = d.path("status").asText("");
        String m = d.path("message").asText("");
        detail = (s + (s.isEmpty() || m.isEmpty() ? "" : ": ") + m).trim();
      }
    } catch (IOException | RuntimeException e) {
      detail = null; // not JSON: say nothing rather than quote an HTML page
    }
    if (detail == null || detail.isEmpty()) return "";
    return ": " + (detail.length() > MAX_DETAIL ? detail.substring(0, MAX_DETAIL) + "…" : detail);
  }
}
