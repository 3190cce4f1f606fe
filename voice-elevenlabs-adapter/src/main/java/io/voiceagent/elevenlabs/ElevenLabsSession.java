package io.voiceagent.elevenlabs;

import io.voiceagent.core.ai.AiCallOptions;
import io.voiceagent.core.ai.AiEnd;
import io.voiceagent.core.ai.AiSession;
import io.voiceagent.core.ai.AiSessionListener;
import io.voiceagent.core.ai.ToolResult;
import io.voiceagent.core.audio.AudioFormat;
import io.voiceagent.core.call.CallId;
import io.voiceagent.core.call.TranscriptEntry;
import io.voiceagent.elevenlabs.ServerMessageParser.ErrorEvent;
import io.voiceagent.elevenlabs.ServerMessageParser.MalformedMessageException;
import io.voiceagent.elevenlabs.SignedUrlFetcher.Fetch;
import io.voiceagent.elevenlabs.SignedUrlFetcher.SignedUrl;
import io.voiceagent.elevenlabs.SignedUrlFetcher.SignedUrlException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import okio.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One call's conversation with an ElevenLabs agent.
 *
 * <p>States: {@code PREPARED} (signed URL being fetched, when there is a key) → {@link #open} → {@code OPENING}
 * (waiting for the signed URL, then for the WebSocket upgrade) → {@code CONNECTED} (initiation sent, waiting for
 * {@code conversation_initiation_metadata}) → {@code READY} (audio both ways) → {@code ENDED}. The connect
 * timeout covers {@code OPENING} and {@code CONNECTED} together.
 *
 * <p>Ending, exactly once: the server's close, a socket failure or the timeout calls the listener's
 * {@code ended} once. {@link #close} (the core ending the call) sends a normal close 1000 and never leads to
 * {@code ended}: the core asked for the end and already knows it. After an {@code ended}, {@link #close} only
 * releases what is left. There is no reconnect mid-call: a new socket would be a new conversation (new id, the
 * agent's context lost, its greeting again), so a dropped socket ends the call as {@code ai_disconnected}.
 *
 * <p>Threads: {@link #open} and {@link #close} on the core's {@code call-control}; {@link #sendAudio} on the
 * media pacer; socket callbacks on this socket's OkHttp reader thread (one at a time); the signed-URL answer on
 * an OkHttp dispatcher thread; the timeout and the upstream drain on the port's timer. State transitions happen
 * under this object's lock; listener calls and socket calls happen outside it.
 */
@SuppressWarnings("try") // MDC.putCloseable scopes the call id; the resource is used by being closed
final class ElevenLabsSession implements AiSession {
  private static final Logger log = LoggerFactory.getLogger(ElevenLabsSession.class);
  /** How often a session with callee audio waiting checks whether OkHttp's queue has drained. */
  static final long DRAIN_INTERVAL_MILLIS = 5;

  enum State { PREPARED, OPENING, CONNECTED, READY, ENDED }

  private final ElevenLabsPort port;
  private final ElevenLabsConfig config;
  private final CallId callId;
  private final ServerMessageParser parser;           // reader thread only
  private final Events events = new Events();
  private final AtomicBoolean drainScheduled = new AtomicBoolean();
  private final AtomicLong malformed = new AtomicLong();
  private final AtomicLong lateAudioDropped = new AtomicLong();
  private final AtomicLong audioBeforeReady = new AtomicLong();

  // Guarded by this.
  private State state = State.PREPARED;
  private boolean endSignalled;
  private Fetch fetch;                    // the latest signed-URL fetch
  private boolean fetchedAtOpen;          // the fetch in hand was started by open(), not by prepare()
  private volatile SignedUrl signedUrl;   // the one the socket uses; read without the lock for masking
  private WebSocket webSocket;
  private AiCallOptions options;
  private ScheduledFuture<?> connectTimer;
  private List<String> overrides = List.of();
  private String conversationId;
  private long openNanos;
  private long readyNanos;
  private Upstream readyUpstream;         // kept for statistics after upstream is cleared

  private volatile boolean closedByUs;            // read by the reader thread to stop delivering
  private volatile AiSessionListener listener;   // set in open, before any socket exists
  private volatile Upstream upstream;            // set at ready; null before and after

  // Reader thread only.
  private long lastInterruptId = -1;
  private boolean agentEndedCall;
  private ErrorEvent lastError;
  private boolean heardAgent;

  ElevenLabsSession(ElevenLabsPort port, CallId callId) {
    this.port = port;
    this.config = port.config();
    this.callId = Objects.requireNonNull(callId, "callId");
    this.parser = new ServerMessageParser(port.mapper());
  }

  /** Starts fetching the signed URL (prepare, while the phone rings). */
  void startFetch() {
    Fetch f = port.signedUrls().fetch();
    synchronized (this) {
      if (state != State.PREPARED || closedByUs) {
        f.cancel();
        return;
      }
      fetch = f;
    }
    log.debug("call {}: fetching a signed URL while the phone rings", callId);
  }

  @Override public void open(AiCallOptions callOptions, AiSessionListener sessionListener) {
    Objects.requireNonNull(callOptions, "callOptions");
    Objects.requireNonNull(sessionListener, "sessionListener");
    synchronized (this) {
      if (closedByUs) {
        log.debug("call {}: open after close ignored", callId);
        return;
      }
      if (state != State.PREPARED) throw new IllegalStateException("session of call " + callId + " is already " + state);
      listener = sessionListener;
      options = callOptions;
      state = State.OPENING;
      openNanos = port.nanoTime();
      connectTimer = port.timer().schedule(this::connectTimedOut, config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }
    if (config.apiKey() == null) {
      connect(config.publicConversationUrl(), null);
    } else {
      withSignedUrl();
    }
  }

  /** Uses the URL fetched while ringing if it is (or will be) good, else fetches one now. */
  private void withSignedUrl() {
    Fetch f;
    synchronized (this) {
      if (state != State.OPENING) return;
      f = fetch;
      boolean unusable = f == null || (f.result().isDone()
          && (f.result().isCompletedExceptionally() || !f.result().join().fresh(port.nanoTime())));
      if (unusable) {
        if (f != null) log.info("call {}: the signed URL fetched while ringing is {}; fetching another", callId,
            f.result().isCompletedExceptionally() ? "missing (that request failed)" : "about to expire");
        f = port.signedUrls().fetch();
        fetch = f;
        fetchedAtOpen = true;
      }
    }
    Fetch current = f;
    current.result().whenComplete((url, error) -> onSignedUrl(current, url, error));
  }

  private void onSignedUrl(Fetch f, SignedUrl url, Throwable error) {
    try (var ignored = MDC.putCloseable("call_id", callId.value())) {
      boolean retry;
      synchronized (this) {
        if (state != State.OPENING || f != fetch) return;
        boolean usable = error == null && url.fresh(port.nanoTime());
        if (usable || fetchedAtOpen) {
          retry = false;
        } else {
          fetch = null; // the one from prepare failed or went stale while we waited: one more try, now
          retry = true;
        }
      }
      if (retry) {
        withSignedUrl();
        return;
      }
      if (error != null) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        int status = cause instanceof SignedUrlException ? ((SignedUrlException) cause).status() : 0;
        end(status == 429
            ? EndMessages.concurrency(cause.getMessage())
            : AiEnd.failed("could not get a signed URL from ElevenLabs: " + cause.getMessage()));
        return;
      }
      connect(url.httpUrl(), url);
    }
  }

  private void connect(HttpUrl url, SignedUrl signed) {
    synchronized (this) {
      if (state != State.OPENING) return;
      signedUrl = signed;
    }
    log.info("call {}: connecting to ElevenLabs {} ({})", callId, ElevenLabsConfig.redact(url),
        signed == null ? "public agent, no key" : "signed URL");
    WebSocket ws = port.client().newWebSocket(new Request.Builder().url(url).build(), new SocketListener());
    boolean stale;
    synchronized (this) {
      // Not "!= OPENING": on a fast link onOpen may already have moved us to CONNECTED (or further).
      stale = state == State.ENDED;
      if (!stale && webSocket == null) webSocket = ws;
    }
    if (stale) ws.cancel(); // ended or closed while we were starting it: end() and close() could not see it
  }

  private void connectTimedOut() {
    try (var ignored = MDC.putCloseable("call_id", callId.value())) {
      String phase;
      synchronized (this) {
        if (state == State.OPENING) {
          phase = webSocket == null && config.apiKey() != null
              ? "the signed URL had not arrived"
              : "the WebSocket did not open";
        } else if (state == State.CONNECTED) {
          phase = "the socket opened but no conversation_initiation_metadata came";
        } else {
          return;
        }
      }
      end(AiEnd.failed("ElevenLabs was not ready within " + config.connectTimeout().toSeconds() + " s ("
          + ElevenLabsConfig.CONNECT_TIMEOUT_S + "): " + phase));
    }
  }

  @Override public void sendAudio(byte[] data, int offset, int length) {
    Upstream u = upstream;
    if (u == null) {
      if (!closedByUs) audioBeforeReady.incrementAndGet(); // the core holds audio until ready; this is a stray
      return;
    }
    if (u.accept(data, offset, length, port.nanoTime())) scheduleDrain(u);
  }

  private void scheduleDrain(Upstream u) {
    if (!drainScheduled.compareAndSet(false, true)) return;
    try {
      port.timer().schedule(() -> {
        drainScheduled.set(false);
        if (upstream == u && u.drain(port.nanoTime())) scheduleDrain(u);
      }, DRAIN_INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      drainScheduled.set(false); // the port is closing
    }
  }

  @Override public void close() {
    WebSocket ws;
    Fetch f;
    State previous;
    synchronized (this) {
      if (closedByUs) return;
      closedByUs = true;
      previous = state;
      state = State.ENDED;
      ws = webSocket;
      f = fetch;
      cancel(connectTimer);
    }
    upstream = null;
    if (f != null) f.cancel(); // nothing if it is done
    if (ws != null) {
      if (previous == State.OPENING) {
        ws.cancel(); // not open yet: do not start a conversation only to end it
      } else {
        ws.close(1000, "call ended"); // a no-op when the server closed first
      }
    }
    port.forget(this);
    try (var ignored = MDC.putCloseable("call_id", callId.value())) {
      if (previous == State.PREPARED) {
        log.debug("call {}: prepared ElevenLabs session closed without opening", callId);
      } else {
        log.info("call {}: ElevenLabs session closed by us{} ({})", callId,
            previous == State.ENDED ? " after it had ended" : ", normal close 1000 sent", statistics());
      }
    }
  }

  /** Reports the end to the core, once, unless we closed first; then releases the socket. */
  private void end(AiEnd end) {
    AiSessionListener l;
    WebSocket ws;
    Fetch f;
    State previous;
    AiEnd masked;
    synchronized (this) {
      if (endSignalled || closedByUs) return;
      endSignalled = true;
      previous = state;
      state = State.ENDED;
      l = listener;
      ws = webSocket;
      f = fetch;
      cancel(connectTimer);
      masked = new AiEnd(end.byAgent(), mask(end.message()));
    }
    upstream = null;
    if (f != null) f.cancel();
    if (ws != null) {
      if (previous == State.OPENING) ws.cancel();
      else ws.close(1000, null); // answers a server close; a no-op on a failed socket
    }
    port.forget(this);
    if (masked.byAgent()) {
      log.info("call {}: ElevenLabs session ended: {} ({})", callId, masked.message(), statistics());
    } else {
      log.warn("call {}: ElevenLabs session failed: {} ({})", callId, masked.message(), statistics());
    }
    if (l != null) {
      try {
        l.ended(masked);
      } catch (RuntimeException e) {
        log.error("call {}: the core's ended() threw", callId, e);
      }
    }
  }

  /** Removes the key and the signed URL (whole, or just its signature) from text meant for logs and calls. */
  private String mask(String text) {
    String out = text;
    if (config.apiKey() != null) out = config.apiKey().maskIn(out);
    SignedUrl s = signedUrl;
    if (s != null) {
      out = s.url().maskIn(out);
      out = s.query().maskIn(out);
    }
    return out;
  }

  /** One line for the end of the session: what went up, what was dropped and why. */
  private String statistics() {
    String conversation;
    Upstream u;
    synchronized (this) {
      conversation = conversationId == null ? "no conversation" : "conversation " + conversationId;
      u = readyUpstream;
    }
    String up = u == null
        ? "no audio sent"
        : u.sentChunks() + " chunks of " + u.chunkMillis() + " ms sent, " + u.droppedChunks()
            + " dropped (backlog full), deepest backlog " + u.maxBacklogChunks() * u.chunkMillis() + " ms";
    return conversation + ", " + up + ", " + lateAudioDropped.get() + " late agent audio pieces dropped, "
        + malformed.get() + " malformed messages";
  }

  private static void cancel(ScheduledFuture<?> timer) {
    if (timer != null) timer.cancel(false);
  }

  // ------------------------------------------------------------------ for tests

  synchronized State state() {
    return state;
  }

  long malformedMessages() {
    return malformed.get();
  }

  long lateAudioDropped() {
    return lateAudioDropped.get();
  }

  /** Whether the latest signed-URL request has been answered (or failed). */
  synchronized boolean signedUrlArrived() {
    return fetch != null && fetch.result().isDone();
  }

  synchronized Upstream upstreamForTest() {
    return readyUpstream;
  }

  @Override public synchronized String toString() {
    return "ElevenLabsSession[" + callId + ", " + state + (conversationId == null ? "" : ", " + conversationId) + "]";
  }

  // ------------------------------------------------------------------ the socket (reader thread)

  private final class SocketListener extends WebSocketListener {
    @Override public void onOpen(WebSocket ws, Response response) {
      try (var ignored = MDC.putCloseable("call_id", callId.value())) {
        ClientMessages.Initiation init;
        long openedAfterMillis;
        synchronized (ElevenLabsSession.this) {
          if (state != State.OPENING) {
            init = null;
            openedAfterMillis = 0;
          } else {
            state = State.CONNECTED;
            webSocket = ws;
            init = port.messages().initiation(options, config.firstMessage(), config.language());
            overrides = init.overrides();
            openedAfterMillis = (port.nanoTime() - openNanos) / 1_000_000;
          }
        }
        if (init == null) {
          ws.close(1000, "call ended"); // closed or timed out while the upgrade was in flight
          return;
        }
        ws.send(init.json()); // the first frame, before any audio
        log.info("call {}: ElevenLabs socket open after {} ms; conversation initiation sent (overrides: {}; {} dynamic"
            + " variables)", callId, openedAfterMillis, init.overrides().isEmpty() ? "none" : String.join(", ",
            init.overrides()), options.dynamicVariables().size());
      }
    }

    @Override public void onMessage(WebSocket ws, String text) {
      if (closedByUs) return;
      try (var ignored = MDC.putCloseable("call_id", callId.value())) {
        try {
          parser.parse(text, events);
        } catch (MalformedMessageException e) {
          countMalformed(e.getMessage());
        } catch (RuntimeException e) {
          // A listener that throws would otherwise fail the socket (OkHttp treats it as a read error) and end
          // the call over one message; the core's listeners should not throw, so this is a bug to see, loudly.
          log.error("call {}: handling an ElevenLabs message failed; the session goes on", callId, e);
        }
      }
    }

    @Override public void onMessage(WebSocket ws, ByteString bytes) {
      try (var ignored = MDC.putCloseable("call_id", callId.value())) {
        countMalformed("a binary frame of " + bytes.size() + " bytes (the protocol is text only)");
      }
    }

    @Override public void onClosing(WebSocket ws, int code, String reason) {
      try (var ignored = MDC.putCloseable("call_id", callId.value())) {
        ws.close(1000, null); // complete the closing handshake
        if (closedByUs) {
          log.debug("call {}: ElevenLabs acknowledged our close ({} {})", callId, code, reason);
          return;
        }
        List<String> sent;
        boolean started;
        synchronized (ElevenLabsSession.this) {
          sent = overrides;
          started = state == State.READY;
        }
        end(EndMessages.serverClosed(code, reason, agentEndedCall, lastError, sent, started));
      }
    }

    @Override public void onFailure(WebSocket ws, Throwable t, Response response) {
      try (var ignored = MDC.putCloseable("call_id", callId.value())) {
        boolean wasOpen;
        boolean signed;
        synchronized (ElevenLabsSession.this) {
          if (closedByUs || endSignalled) {
            log.debug("call {}: ElevenLabs socket finished after the end ({})", callId, EndMessages.describe(t));
            return;
          }
          wasOpen = state == State.CONNECTED || state == State.READY;
          signed = signedUrl != null;
        }
        log.debug("call {}: ElevenLabs socket failed in state {}", callId, wasOpen ? "open" : "opening", t);
        if (response != null && response.code() != 101) {
          end(EndMessages.upgradeRefused(response.code(), response.message(), signed));
        } else {
          end(EndMessages.connectionFailed(t, wasOpen, ElevenLabsConfig.redact(ws.request().url())));
        }
      }
    }
  }

  private void countMalformed(String what) {
    long n = malformed.incrementAndGet();
    String safe = mask(what);
    if (n == 1 || n % 100 == 0) {
      log.warn("call {}: dropped a malformed ElevenLabs message: {} ({} so far)", callId, safe, n);
    } else {
      log.debug("call {}: dropped a malformed ElevenLabs message: {} ({} so far)", callId, safe, n);
    }
  }

  // ------------------------------------------------------------------ server events (reader thread)

  private final class Events implements ServerMessageParser.Handler {
    @Override public void metadata(String id, String userInputFormat, String agentOutputFormat) {
      AudioFormat input;
      AudioFormat output;
      try {
        input = AudioFormat.parse(userInputFormat);
        output = AudioFormat.parse(agentOutputFormat);
      } catch (IllegalArgumentException e) {
        end(AiEnd.failed("the ElevenLabs agent uses audio formats '" + userInputFormat + "' (input) and '"
            + agentOutputFormat + "' (output); this adapter reads ulaw_8000 and pcm_<rate> only. Set the agent's"
            + " user input and TTS output formats to ulaw_8000 (best for phone calls) or pcm_16000"));
        return;
      }
      WebSocket ws;
      synchronized (ElevenLabsSession.this) {
        if (state != State.CONNECTED) {
          log.warn("call {}: ignoring a second conversation_initiation_metadata ({})", callId, id);
          return;
        }
        ws = webSocket;
      }
      Upstream u = new Upstream(new SocketSender(ws), input, config.chunkMillis(), config.backlogMillis());
      long readyAfterMillis;
      synchronized (ElevenLabsSession.this) {
        if (state != State.CONNECTED) return;
        state = State.READY;
        conversationId = id;
        readyNanos = port.nanoTime();
        readyAfterMillis = (readyNanos - openNanos) / 1_000_000;
        readyUpstream = u;
        cancel(connectTimer);
      }
      upstream = u;
      log.info("call {}: ElevenLabs conversation {} ready {} ms after open ({} up in {} ms chunks, {} down)",
          callId, id, readyAfterMillis, input, config.chunkMillis(), output);
      listener.ready(id, input, output);
    }

    @Override public void audio(byte[] data, int offset, int length, long eventId) {
      if (eventId <= lastInterruptId) {
        lateAudioDropped.incrementAndGet(); // the Python/Node SDK rule: audio of an interrupted response is void
        return;
      }
      if (upstream == null) {
        log.debug("call {}: agent audio before the conversation metadata dropped", callId);
        return;
      }
      if (!heardAgent) {
        heardAgent = true;
        long ms;
        synchronized (ElevenLabsSession.this) {
          ms = (port.nanoTime() - readyNanos) / 1_000_000;
        }
        log.info("call {}: first agent audio {} ms after the conversation was ready", callId, ms);
      }
      listener.agentAudio(data, offset, length, eventId);
    }

    @Override public void interruption(long eventId) {
      if (eventId > lastInterruptId) lastInterruptId = eventId;
      log.debug("call {}: the callee interrupted the agent (event {})", callId, eventId);
      listener.interrupted(eventId);
    }

    @Override public void agentResponse(String text) {
      log.debug("call {}: agent: {}", callId, text);
      listener.transcript(TranscriptEntry.Role.AGENT, text);
    }

    @Override public void agentResponseCorrection(String original, String corrected) {
      log.debug("call {}: agent was cut off; spoken: {}", callId, corrected);
      listener.transcriptCorrected(original, corrected);
    }

    @Override public void userTranscript(String text) {
      log.debug("call {}: callee: {}", callId, text);
      listener.transcript(TranscriptEntry.Role.USER, text);
    }

    @Override public void ping(long eventId, Long pingMillis) {
      WebSocket ws;
      synchronized (ElevenLabsSession.this) {
        ws = webSocket;
      }
      if (ws != null) ws.send(port.messages().pong(eventId)); // at once: OkHttp's queue holds at most one chunk
      log.debug("call {}: ping {} answered (server RTT estimate {} ms)", callId, eventId, pingMillis);
    }

    @Override public void clientToolCall(String toolName, String toolCallId, Map<String, Object> parameters) {
      WebSocket ws;
      synchronized (ElevenLabsSession.this) {
        ws = webSocket;
      }
      log.info("call {}: the agent calls client tool '{}' ({})", callId, toolName, toolCallId);
      AtomicBoolean answered = new AtomicBoolean();
      Consumer<ToolResult> reply = result -> {
        if (!answered.compareAndSet(false, true)) {
          log.warn("call {}: a second result for tool call {} ignored", callId, toolCallId);
          return;
        }
        boolean sent = ws.send(port.messages().toolResult(toolCallId, result.result(), result.isError()));
        try (var ignored = MDC.putCloseable("call_id", callId.value())) {
          log.info("call {}: tool '{}' answered ({}){}", callId, toolName, result.isError() ? "error" : "ok",
              sent ? "" : " but the socket was already closing");
        }
      };
      try {
        listener.toolCall(toolName, parameters, reply);
      } catch (RuntimeException e) {
        log.warn("call {}: the tool call '{}' threw in the core", callId, toolName, e);
        reply.accept(ToolResult.error("tool '" + toolName + "' failed"));
      }
    }

    @Override public void agentToolResponse(String toolName, String toolType, boolean isError) {
      if ("end_call".equals(toolName) && !isError) {
        agentEndedCall = true;
        log.info("call {}: the agent ended the conversation (end_call); ElevenLabs will close", callId);
      } else {
        log.debug("call {}: agent tool '{}' ({}) ran{}", callId, toolName, toolType, isError ? " with an error" : "");
      }
    }

    @Override public void error(ErrorEvent error) {
      lastError = error;
      log.warn("call {}: ElevenLabs error event: {}", callId, mask(error.summary()));
    }

    @Override public void ignored(String type) {
      // tentative transcripts, VAD scores and the like: nothing to do
    }

    @Override public void unknown(String type) {
      port.unknownType(type);
    }
  }

  /** OkHttp's WebSocket as the upstream sees it. */
  private static final class SocketSender implements Upstream.FrameSender {
    private final WebSocket ws;

    SocketSender(WebSocket ws) {
      this.ws = ws;
    }

    @Override public long queueSize() {
      return ws.queueSize();
    }

    @Override public boolean send(String text) {
      return ws.send(text);
    }
  }
}
