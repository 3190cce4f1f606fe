package io.voiceagent.core.service;

import io.voiceagent.core.call.Call;
import io.voiceagent.core.call.CallId;
import io.voiceagent.core.call.CallStatus;
import io.voiceagent.core.call.EndReason;
import io.voiceagent.core.call.TranscriptEntry;
import io.voiceagent.core.call.AmdResult;
import io.voiceagent.core.call.AmdVerdict;
import io.voiceagent.core.call.InvalidCallRequestException;
import io.voiceagent.core.call.CallNotFoundException;
import io.voiceagent.core.call.CallStateException;
import io.voiceagent.core.call.CallLimitException;
import io.voiceagent.core.call.TelephonyUnavailableException;
import io.voiceagent.core.ai.AiCallOptions;
import io.voiceagent.core.ai.AiEnd;
import io.voiceagent.core.ai.AiSession;
import io.voiceagent.core.ai.AiSessionListener;
import io.voiceagent.core.ai.ConversationalAIPort;
import io.voiceagent.core.ai.ToolHandler;
import io.voiceagent.core.ai.ToolResult;
import io.voiceagent.core.amd.AmdPolicy;
import io.voiceagent.core.amd.AnsweringMachineDetector;
import io.voiceagent.core.audio.AudioFormat;
import io.voiceagent.core.audio.AudioPipeline;
import io.voiceagent.core.audio.AudioPipelineFactory;
import io.voiceagent.core.audio.AudioPipelines;
import io.voiceagent.core.telephony.DialRequest;
import io.voiceagent.core.telephony.MediaStats;
import io.voiceagent.core.telephony.MediaStream;
import io.voiceagent.core.telephony.TelephonyEnd;
import io.voiceagent.core.telephony.TelephonyHealth;
import io.voiceagent.core.telephony.TelephonyListener;
import io.voiceagent.core.telephony.TelephonyPort;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The use cases: start a call, hang up, get, list, send DTMF; and the orchestration of each call between
 * telephony and the AI.
 *
 * <p>A call's life: {@link #start} stores it ({@code dialing}) and asks telephony to dial. When it rings (or
 * at dial, where ringing is never reported) the AI session is <em>prepared</em>. On {@code answered} the
 * callee's audio goes into the answer buffer, the answering-machine detector (if any) watches it, and the
 * AI session is <em>opened</em> only for a human (or at once with detection off) — never on early media.
 * Once the AI is ready the answer buffer is handed to it first, then live audio follows. Whoever ends the
 * call first (callee, API, agent, AI failure, a timer) decides its final status, exactly once; the AI
 * session is closed and telephony told to hang up exactly once.
 *
 * <p>Threads: telephony and AI events arrive on the adapters' threads; they record the change under the
 * call's lock and hand slow follow-ups (opening the AI, hanging up, closing) to the {@code call-control}
 * executor, which also runs the ring and duration timers. Listeners are called outside locks.
 */
public final class CallService implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CallService.class);
  private static final Pattern DTMF = Pattern.compile("[0-9*#A-D]{1,32}");
  private static final int MAX_IDEMPOTENCY_KEYS = 100_000;
  /** How long an agent that ended the conversation may keep talking before the call is hung up anyway. */
  private static final Duration AGENT_DRAIN_LIMIT = Duration.ofSeconds(65);

  private final TelephonyPort telephony;
  private final ConversationalAIPort ai;
  private final CallRepository repository;
  private final Clock clock;
  private final LongSupplier nanoClock;
  private final CallSettings settings;
  private final AudioPipelineFactory pipelines;
  private final AnsweringMachineDetector detector;
  private final AmdPolicy amdPolicy;
  private final List<CallListener> listeners = new CopyOnWriteArrayList<>();
  private final Map<String, ToolHandler> tools;
  private final ScheduledExecutorService control;
  private final boolean ownsControl;
  private final Map<CallId, ActiveCall> active = new ConcurrentHashMap<>();
  private final Object admission = new Object();
  private final LinkedHashMap<String, IdempotentStart> idempotency = new LinkedHashMap<>(); // guarded by admission
  private volatile boolean closed;

  private record IdempotentStart(CallId id, Instant at) {}

  private CallService(Builder b) {
    this.telephony = Objects.requireNonNull(b.telephony, "telephony");
    this.ai = Objects.requireNonNull(b.ai, "ai");
    this.repository = b.repository != null ? b.repository : new InMemoryCallRepository();
    this.clock = b.clock;
    this.nanoClock = b.nanoClock;
    this.settings = b.settings;
    this.pipelines = b.pipelines;
    this.detector = b.detector;
    this.amdPolicy = b.amdPolicy;
    this.listeners.addAll(b.listeners);
    this.tools = Map.copyOf(b.tools);
    if (b.control != null) {
      this.control = b.control;
      this.ownsControl = false;
    } else {
      ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(2, new NamedThreads("call-control"));
      pool.setRemoveOnCancelPolicy(true);
      this.control = pool;
      this.ownsControl = true;
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  // ---------------------------------------------------------------- use cases

  /**
   * Starts an outbound call. Returns at once with the call in {@code dialing} (or the earlier call of the
   * same idempotency key, with {@code created} false).
   *
   * @throws CallLimitException            when {@code maxConcurrentCalls} calls are active
   * @throws TelephonyUnavailableException when telephony cannot place calls now
   */
  public StartResult start(StartCallCommand command) {
    ensureOpen();
    Instant now = clock.instant();
    ActiveCall call;
    synchronized (admission) {
      String key = command.idempotencyKey();
      if (key != null) {
        forgetExpiredKeys(now);
        IdempotentStart earlier = idempotency.get(key);
        if (earlier != null) {
          Optional<Call> found = find(earlier.id());
          if (found.isPresent()) return new StartResult(found.get(), false);
        }
      }
      TelephonyHealth health = health();
      if (!health.ready()) {
        throw new TelephonyUnavailableException("telephony (" + health.provider() + ") is not ready: " + health.state()
            + (health.details().isEmpty() ? "" : " " + health.details()));
      }
      if (active.size() >= settings.maxConcurrentCalls()) throw new CallLimitException(settings.maxConcurrentCalls());
      CallId id = CallId.random();
      AiCallOptions options = new AiCallOptions(command.firstMessage(), command.dynamicVariables(), id.value());
      call = new ActiveCall(Call.dialing(id, command.number(), now), options);
      active.put(id, call);
      if (key != null) {
        idempotency.put(key, new IdempotentStart(id, now));
        if (idempotency.size() > MAX_IDEMPOTENCY_KEYS) {
          Iterator<?> it = idempotency.values().iterator();
          it.next();
          it.remove();
        }
      }
    }
    call.dial();
    return new StartResult(call.snapshot(), true);
  }

  /**
   * Hangs up: CANCEL before answer ({@code canceled}), BYE after ({@code completed}, {@code local_hangup}).
   *
   * @throws CallNotFoundException no such call
   * @throws CallStateException    the call has already ended
   */
  public Call hangup(CallId id) {
    ActiveCall call = active.get(id);
    if (call == null) {
      Call known = repository.find(id).orElseThrow(() -> new CallNotFoundException(id));
      if (known.isFinal()) throw new CallStateException("call " + id + " has already ended (" + known.status().wireName() + ")");
      throw new CallNotFoundException(id);
    }
    call.finish(EndReason.LOCAL_HANGUP, null, null, true);
    return call.snapshot();
  }

  /**
   * Sends DTMF digits on an answered call.
   *
   * @throws InvalidCallRequestException digits are not 1-32 of 0-9, *, #, A-D
   * @throws CallStateException          the call is not answered (or has ended)
   */
  public void sendDtmf(CallId id, String digits) {
    if (digits == null || !DTMF.matcher(digits).matches()) {
      throw new InvalidCallRequestException("digits", "digits must be 1-32 of 0-9, *, #, A-D");
    }
    ActiveCall call = active.get(id);
    Call snapshot = call != null ? call.snapshot() : get(id);
    if (snapshot.status() != CallStatus.ANSWERED || call == null) {
      throw new CallStateException("call " + id + " is " + snapshot.status().wireName() + "; DTMF needs an answered call");
    }
    telephony.sendDtmf(id, digits);
  }

  /** @throws CallNotFoundException no such call */
  public Call get(CallId id) {
    return find(id).orElseThrow(() -> new CallNotFoundException(id));
  }

  public Optional<Call> find(CallId id) {
    ActiveCall call = active.get(id);
    return call != null ? Optional.of(call.snapshot()) : repository.find(id);
  }

  /** Calls, newest first, optionally only those in {@code status}. */
  public List<Call> list(CallStatus status, int limit) {
    if (limit < 1) throw new InvalidCallRequestException("limit", "limit must be ≥ 1");
    return repository.list(status, limit);
  }

  /** @throws CallNotFoundException no such call */
  public Optional<MediaStats> mediaStats(CallId id) {
    get(id);
    return telephony.mediaStats(id);
  }

  public int activeCalls() {
    return active.size();
  }

  /** Telephony's health; an adapter that throws counts as not ready. */
  public TelephonyHealth health() {
    try {
      return telephony.health();
    } catch (RuntimeException e) {
      log.warn("telephony health check failed", e);
      return new TelephonyHealth(false, "unknown", "error", Map.of("last_error", String.valueOf(e.getMessage())));
    }
  }

  public String aiProviderName() {
    return ai.name();
  }

  public void addListener(CallListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  public void removeListener(CallListener listener) {
    listeners.remove(listener);
  }

  /**
   * Hangs up every active call, waits briefly for the follow-ups, and stops the {@code call-control}
   * threads. The ports themselves belong to whoever made them.
   */
  @Override public void close() {
    if (closed) return;
    closed = true;
    for (ActiveCall call : new ArrayList<>(active.values())) {
      call.finish(EndReason.LOCAL_HANGUP, null, "the service is shutting down", true);
    }
    if (ownsControl) {
      control.shutdown();
      try {
        if (!control.awaitTermination(5, TimeUnit.SECONDS)) control.shutdownNow();
      } catch (InterruptedException e) {
        control.shutdownNow();
        Thread.currentThread().interrupt();
      }
    }
  }

  private void ensureOpen() {
    if (closed) throw new TelephonyUnavailableException("the call service is shut down");
  }

  private void forgetExpiredKeys(Instant now) {
    Instant cutoff = now.minus(settings.idempotencyTtl());
    Iterator<IdempotentStart> it = idempotency.values().iterator();
    while (it.hasNext() && it.next().at().isBefore(cutoff)) it.remove();
  }

  private void execute(CallId id, String what, Runnable task) {
    try {
      control.execute(() -> withCallId(id, what, task));
    } catch (RejectedExecutionException e) {
      withCallId(id, what, task); // shutting down: do it here rather than lose it
    }
  }

  private ScheduledFuture<?> schedule(CallId id, String what, Duration delay, Runnable task) {
    try {
      return control.schedule(() -> withCallId(id, what, task), delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      return null;
    }
  }

  private static void withCallId(CallId id, String what, Runnable task) {
    try (var ignored = MDC.putCloseable("call_id", id.value())) {
      task.run();
    } catch (RuntimeException e) {
      log.error("call {}: {} failed", id, what, e);
    }
  }

  private void publish(java.util.function.Consumer<CallListener> event) {
    for (CallListener l : listeners) {
      try {
        event.accept(l);
      } catch (RuntimeException e) {
        log.warn("a call listener threw; ignoring it", e);
      }
    }
  }

  // ---------------------------------------------------------------- one call

  /**
   * One active call: its snapshot, AI session, media and timers. Fields marked "guarded" change only under
   * {@code this}; no lock is held while calling an adapter or a listener.
   */
  private final class ActiveCall implements TelephonyListener, AiSessionListener {
    private final CallId id;
    private final AiCallOptions options;
    private Call snapshot;                       // guarded
    private AiSession aiSession;                 // guarded: prepared or open, closed exactly once in finish
    private boolean aiOpening;                   // guarded: open asked for (once)
    private boolean preparing;                   // guarded: a prepare is in flight
    private AiCallOptions pendingOpen;           // guarded: open once the prepare in flight is done
    private MediaStream media;                   // guarded
    private CalleeAudioRouter router;            // guarded (written once at answer)
    private AnsweringMachineDetector.Detection detection; // guarded
    private ScheduledFuture<?> ringTimer;        // guarded
    private ScheduledFuture<?> durationTimer;    // guarded
    private ScheduledFuture<?> drainTimer;       // guarded
    private boolean agentEnding;                 // guarded
    private long answeredNanos;                  // guarded
    private long aiReadyNanos;                   // guarded
    private volatile boolean heardAgent;         // AI thread: first agent audio seen

    ActiveCall(Call initial, AiCallOptions options) {
      this.id = initial.id();
      this.options = options;
      this.snapshot = initial;
      repository.save(initial);
    }

    synchronized Call snapshot() {
      return snapshot;
    }

    void dial() {
      Call first = snapshot();
      log.info("call {} to {}: dialing", id, first.phoneNumber());
      publish(l -> l.callUpdated(first));
      synchronized (this) {
        ringTimer = schedule(id, "ring timeout", settings.ringTimeout(), () -> finish(EndReason.NO_ANSWER, null,
            "no answer within " + settings.ringTimeout().toSeconds() + " s", true));
      }
      if (!telephony.reportsRinging()) execute(id, "prepare AI", this::prepareAi);
      try {
        telephony.dial(new DialRequest(id, first.phoneNumber(), settings.ringTimeout()), this);
      } catch (TelephonyUnavailableException e) {
        finish(EndReason.ERROR, null, e.getMessage(), false);
        throw e;
      } catch (RuntimeException e) {
        log.error("call {}: telephony refused to dial", id, e);
        finish(EndReason.ERROR, null, "dial failed: " + e.getMessage(), false);
      }
    }

    // ------------------------------------------------ telephony events (adapter thread)

    @Override public void ringing() {
      provisional(CallStatus.RINGING);
    }

    @Override public void earlyMedia() {
      provisional(CallStatus.EARLY_MEDIA);
    }

    private void provisional(CallStatus next) {
      Call changed;
      boolean prepare;
      synchronized (this) {
        if (!snapshot.status().canTransitionTo(next) || next == snapshot.status()) return;
        snapshot = snapshot.withStatus(next);
        repository.save(snapshot);
        changed = snapshot;
        prepare = aiSession == null;
      }
      log.info("call {}: {}", id, next.wireName());
      publish(l -> l.callUpdated(changed));
      if (prepare) execute(id, "prepare AI", this::prepareAi);
    }

    @Override public void answered(MediaStream stream) {
      Call changed;
      CalleeAudioRouter r;
      boolean prepare;
      synchronized (this) {
        if (snapshot.isFinal() || snapshot.status() == CallStatus.ANSWERED) return;
        prepare = aiSession == null; // answered without ringing: prepare while the detector listens
        snapshot = snapshot.answered(clock.instant());
        answeredNanos = nanoClock.getAsLong();
        repository.save(snapshot);
        changed = snapshot;
        media = stream;
        router = r = new CalleeAudioRouter(settings.answerBufferMillis());
        cancel(ringTimer);
        durationTimer = schedule(id, "max duration", settings.maxCallDuration(), () -> finish(EndReason.MAX_DURATION,
            null, "longer than " + settings.maxCallDuration().toSeconds() + " s", true));
      }
      log.info("call {}: answered", id);
      publish(l -> l.callUpdated(changed));
      if (prepare) execute(id, "prepare AI", this::prepareAi);
      try {
        stream.attach(r);
      } catch (RuntimeException e) {
        log.error("call {}: attaching media failed", id, e);
        finish(EndReason.ERROR, null, "media failed: " + e.getMessage(), true);
        return;
      }
      startDetection(r);
    }

    private void startDetection(CalleeAudioRouter r) {
      AnsweringMachineDetector.Detection d;
      try {
        d = detector.start(id, nanoClock.getAsLong(),
            verdict -> execute(id, "AMD verdict", () -> onVerdict(verdict)));
      } catch (RuntimeException e) {
        log.error("call {}: answering-machine detection failed to start; connecting the agent", id, e);
        d = null;
      }
      if (d == null) {
        // detection off: the agent comes at once
        execute(id, "open AI", () -> openAi(options));
        return;
      }
      boolean ended;
      synchronized (this) {
        ended = snapshot.isFinal();
        if (!ended) detection = d;
      }
      if (ended) {
        d.cancel();
      } else {
        r.watch(d);
      }
    }

    /**
     * The detector's verdict: a human gets the agent at once; a machine and a "not sure" follow the policy.
     * This is the one place that decides whether the AI is paid for. A machine the agent is to leave a message
     * on is first waited out: the detection goes on listening until the greeting has ended (its beep, or
     * silence), so the message is not spoken over the greeting and lands in the recording.
     */
    private void onVerdict(AmdVerdict verdict) {
      AmdPolicy.Action action;
      switch (verdict.result()) {
        case HUMAN:
          action = AmdPolicy.Action.CONNECT;
          break;
        case MACHINE:
          action = amdPolicy.onMachine();
          break;
        default:
          action = amdPolicy.onNotSure();
          break;
      }
      boolean voicemail = verdict.result() == AmdResult.MACHINE && action == AmdPolicy.Action.CONNECT;
      Call changed;
      AnsweringMachineDetector.Detection d;
      synchronized (this) {
        if (snapshot.isFinal()) return;
        snapshot = snapshot.withAmd(verdict);
        repository.save(snapshot);
        changed = snapshot;
        d = detection;
        if (!voicemail || d == null) {
          detection = null;
          if (router != null) router.stopWatching();
        }
      }
      log.info("call {}: answering-machine detection says {} ({}, {} ms)", id, verdict.result().wireName(),
          verdict.cause(), verdict.millis());
      publish(l -> l.callUpdated(changed));
      if (action == AmdPolicy.Action.HANGUP) {
        finish(EndReason.MACHINE, null, "answering machine (" + verdict.cause() + ")", true);
      } else if (voicemail && d != null) {
        log.info("call {}: waiting for the greeting to end before the agent leaves its message", id);
        d.awaitGreetingEnd(cause -> execute(id, "greeting ended", () -> onGreetingEnded(cause)));
      } else if (voicemail) {
        onGreetingEnded("unknown"); // the verdict came before the detection was attached: nothing to wait on
      } else {
        openAi(options);
      }
    }

    /** A voicemail's greeting has ended: the agent leaves its message, without the greeting in its ears. */
    private void onGreetingEnded(String cause) {
      synchronized (this) {
        if (snapshot.isFinal()) return;
        detection = null;
        if (router != null) {
          router.stopWatching();
          router.forgetBuffered();
        }
      }
      log.info("call {}: the greeting has ended ({}); the agent leaves its message", id, cause);
      String message = amdPolicy.machineFirstMessage();
      openAi(message != null ? options.withFirstMessage(message) : options);
    }

    @Override public void dtmfReceived(char digit) {
      log.info("call {}: DTMF {} received", id, digit);
      publish(l -> l.dtmfReceived(id, digit));
    }

    @Override public void externalId(String external) {
      Call changed;
      synchronized (this) {
        snapshot = snapshot.withExternalId(external);
        repository.save(snapshot);
        changed = snapshot;
      }
      publish(l -> l.callUpdated(changed));
    }

    @Override public void ended(TelephonyEnd end) {
      finish(end.reason(), end.sipCode(), end.message(), false);
      if (end.message() != null) keepLateMessage(end.message());
    }

    /**
     * Telephony's word on a call that had already ended on our side, e.g. "the hang-up could not be sent to
     * Exolve" when an HTTP-placed call is hung up before its audio leg exists: kept as the call's message when it
     * has none, so the hang-up's API answer shows it (the adapter reports it before its {@code hangup} returns).
     */
    private void keepLateMessage(String message) {
      synchronized (this) {
        if (!snapshot.isFinal() || snapshot.message() != null) return;
        snapshot = snapshot.withMessage(message);
        repository.save(snapshot);
      }
    }

    // ------------------------------------------------ AI (call-control and AI threads)

    /**
     * Makes sure a session is prepared, once: a second call while one is in flight does nothing. If an open
     * was asked for meanwhile ({@link #openAi}), the prepared session is opened as soon as it exists.
     */
    private void prepareAi() {
      synchronized (this) {
        if (snapshot.isFinal() || aiSession != null || preparing) return;
        preparing = true;
      }
      AiSession prepared = null;
      RuntimeException failure = null;
      try {
        prepared = ai.prepare(id);
      } catch (RuntimeException e) {
        failure = e;
      }
      AiCallOptions openWith;
      boolean ended;
      synchronized (this) {
        preparing = false;
        ended = snapshot.isFinal();
        if (!ended && prepared != null) aiSession = prepared;
        openWith = ended ? null : pendingOpen;
        pendingOpen = null;
      }
      if (ended && prepared != null) closeQuietly(prepared);
      if (failure != null) {
        if (openWith == null) {
          log.warn("call {}: preparing the AI session failed; it will be tried again at answer", id, failure);
          return;
        }
        log.error("call {}: the AI session could not be prepared", id, failure);
        finish(EndReason.AI_DISCONNECTED, null, "AI session failed: " + failure.getMessage(), true);
        return;
      }
      if (openWith != null) openPrepared(prepared, openWith);
    }

    /** Opens the AI session once: now if it is prepared, else as soon as its preparation finishes. */
    private void openAi(AiCallOptions callOptions) {
      AiSession session;
      synchronized (this) {
        if (snapshot.isFinal() || aiOpening) return;
        aiOpening = true;
        session = aiSession;
        if (session == null) pendingOpen = callOptions;
      }
      if (session != null) {
        openPrepared(session, callOptions);
      } else {
        prepareAi(); // does nothing if a preparation is in flight: that one opens it
      }
    }

    private void openPrepared(AiSession session, AiCallOptions callOptions) {
      log.info("call {}: opening the AI session ({})", id, ai.name());
      try {
        session.open(callOptions, this);
      } catch (RuntimeException e) {
        log.error("call {}: the AI session failed to open", id, e);
        finish(EndReason.AI_DISCONNECTED, null, "AI session failed to open: " + e.getMessage(), true);
      }
    }

    @Override public void ready(String conversationId, AudioFormat input, AudioFormat output) {
      AudioPipeline pipeline;
      try {
        pipeline = pipelines.create(input, output);
      } catch (IllegalArgumentException e) {
        finish(EndReason.AI_DISCONNECTED, null, "unsupported AI audio format: " + e.getMessage(), true);
        return;
      }
      Call changed;
      synchronized (this) {
        if (snapshot.isFinal() || aiSession == null || router == null) return;
        aiReadyNanos = nanoClock.getAsLong();
        snapshot = snapshot.withAiConnected(conversationId)
            .withLatency(snapshot.latency().withAiReady((aiReadyNanos - answeredNanos) / 1_000_000));
        repository.save(snapshot);
        changed = snapshot;
        router.goLive(new CalleeAudioRouter.Live(pipeline, aiSession));
      }
      log.info("call {}: AI connected (conversation {}, {} up, {} down)", id, conversationId, input, output);
      publish(l -> l.callUpdated(changed));
    }

    @Override public void agentAudio(byte[] data, int offset, int length, long eventId) {
      CalleeAudioRouter r;
      synchronized (this) {
        r = router;
      }
      AudioPipeline p = r == null ? null : r.pipeline();
      if (p == null) return;
      if (!heardAgent) firstAgentAudio();
      long speechEnd = r.takeSpeechEnd();
      if (speechEnd != 0) turnAnswered(speechEnd);
      p.fromAgent(data, offset, length, eventId);
    }

    /** The agent's first audio after the callee's turn ended at {@code speechEndNanos}: a turn latency. */
    private void turnAnswered(long speechEndNanos) {
      long ms = Math.max(0, (nanoClock.getAsLong() - speechEndNanos) / 1_000_000);
      Call changed;
      synchronized (this) {
        if (snapshot.isFinal()) return;
        snapshot = snapshot.withLatency(snapshot.latency().withTurn(ms));
        repository.save(snapshot);
        changed = snapshot;
      }
      log.info("call {}: the agent answered {} ms after the callee stopped speaking", id, ms);
      publish(l -> l.callUpdated(changed));
    }

    private void firstAgentAudio() {
      Call changed;
      synchronized (this) {
        if (heardAgent || snapshot.isFinal()) return;
        heardAgent = true;
        long ms = (nanoClock.getAsLong() - aiReadyNanos) / 1_000_000;
        snapshot = snapshot.withLatency(snapshot.latency().withFirstAudio(ms));
        repository.save(snapshot);
        changed = snapshot;
      }
      log.info("call {}: first agent audio {} ms after the AI was ready", id, changed.latency().aiReadyToFirstAudioMs());
      publish(l -> l.callUpdated(changed));
    }

    @Override public void transcriptCorrected(String original, String corrected) {
      Call changed;
      synchronized (this) {
        if (snapshot.isFinal()) return;
        Call next = snapshot.withCorrectedAgentText(original, corrected);
        if (next == snapshot) return;
        snapshot = next;
        repository.save(snapshot);
        changed = snapshot;
      }
      publish(l -> l.callUpdated(changed));
    }

    @Override public void toolCall(String toolName, Map<String, Object> parameters,
        java.util.function.Consumer<ToolResult> reply) {
      ToolHandler handler = tools.get(toolName);
      if (handler == null) {
        log.info("call {}: the agent called tool '{}', which has no handler", id, toolName);
        reply.accept(ToolResult.error("tool '" + toolName + "' is not available"));
        return;
      }
      execute(id, "tool " + toolName, () -> {
        ToolResult result;
        try {
          result = handler.call(id, parameters);
          if (result == null) result = ToolResult.error("tool '" + toolName + "' returned nothing");
        } catch (Exception e) {
          log.warn("call {}: tool '{}' failed", id, toolName, e);
          result = ToolResult.error("tool '" + toolName + "' failed: " + e.getMessage());
        }
        reply.accept(result);
      });
    }

    @Override public void interrupted(long eventId) {
      CalleeAudioRouter r;
      synchronized (this) {
        r = router;
      }
      AudioPipeline p = r == null ? null : r.pipeline();
      if (p != null) p.interrupt(eventId);
    }

    @Override public void transcript(TranscriptEntry.Role role, String text) {
      TranscriptEntry entry = new TranscriptEntry(role, text, clock.instant());
      Call changed;
      synchronized (this) {
        if (snapshot.isFinal()) return;
        snapshot = snapshot.withTranscript(entry);
        repository.save(snapshot);
        changed = snapshot;
      }
      publish(l -> l.transcript(changed, entry));
    }

    @Override public void ended(io.voiceagent.core.ai.AiEnd end) {
      if (!end.byAgent()) {
        log.warn("call {}: AI session ended: {}", id, end.message());
        finish(EndReason.AI_DISCONNECTED, null, end.message(), true);
        return;
      }
      AudioPipeline p;
      synchronized (this) {
        if (snapshot.isFinal() || agentEnding) return;
        agentEnding = true;
        p = router == null ? null : router.pipeline();
        drainTimer = schedule(id, "agent drain limit", AGENT_DRAIN_LIMIT,
            () -> finish(EndReason.AGENT_HANGUP, null, end.message(), true));
      }
      log.info("call {}: the agent ended the conversation ({}); playing out its last words", id, end.message());
      Runnable hangUp = () -> execute(id, "agent hang-up", () -> finish(EndReason.AGENT_HANGUP, null, end.message(), true));
      if (p == null) {
        hangUp.run();
      } else {
        p.whenDrained(hangUp);
      }
    }

    // ------------------------------------------------ the end (any thread), exactly once

    /**
     * Ends the call for {@code reason} unless it has ended already: writes the final status from SPEC's
     * table, then closes the AI session and, when the end is ours, tells telephony to hang up.
     */
    void finish(EndReason reason, Integer sipCode, String message, boolean local) {
      Call last;
      AiSession session;
      AnsweringMachineDetector.Detection d;
      MediaStream m;
      synchronized (this) {
        if (snapshot.isFinal()) return;
        EndReason.Outcome outcome = reason.outcome(snapshot.status() == CallStatus.ANSWERED);
        snapshot = snapshot.ended(outcome.status(), outcome.reason(), message, sipCode, clock.instant());
        repository.save(snapshot);
        last = snapshot;
        session = aiSession;
        aiSession = null;
        d = detection;
        detection = null;
        m = media;
        media = null;
        cancel(ringTimer);
        cancel(durationTimer);
        cancel(drainTimer);
      }
      active.remove(id);
      try (var ignored = MDC.putCloseable("call_id", id.value())) {
        log.info("call {} ended: {} ({}){}", id, last.status().wireName(), last.endReason().wireName(),
            message == null ? "" : ": " + message);
        if (d != null) d.cancel();
        if (m != null) {
          try {
            m.attach(null);
          } catch (RuntimeException e) {
            log.warn("call {}: detaching media failed", id, e);
          }
        }
        if (session != null) closeQuietly(session);
        if (local) {
          try {
            telephony.hangup(id);
          } catch (RuntimeException e) {
            log.error("call {}: telephony failed to hang up", id, e);
          }
        }
      }
      publish(l -> l.callUpdated(last));
      publish(l -> l.ended(last));
    }

    private void closeQuietly(AiSession s) {
      try {
        s.close();
      } catch (RuntimeException e) {
        log.warn("call {}: closing the AI session failed", id, e);
      }
    }

    private void cancel(ScheduledFuture<?> timer) {
      if (timer != null) timer.cancel(false);
    }
  }

  // ---------------------------------------------------------------- building

  /** Builds a {@link CallService}: telephony and AI are required, everything else has a default. */
  public static final class Builder {
    private TelephonyPort telephony;
    private ConversationalAIPort ai;
    private CallRepository repository;
    private Clock clock = Clock.systemUTC();
    private LongSupplier nanoClock = System::nanoTime;
    private CallSettings settings = CallSettings.DEFAULTS;
    private AudioPipelineFactory pipelines = AudioPipelines.passThrough();
    private AnsweringMachineDetector detector = AnsweringMachineDetector.OFF;
    private AmdPolicy amdPolicy = AmdPolicy.DEFAULT;
    private ScheduledExecutorService control;
    private final List<CallListener> listeners = new ArrayList<>();
    private final Map<String, ToolHandler> tools = new LinkedHashMap<>();

    private Builder() {}

    /** Answers the agent's client tool calls of {@code handler.toolName()}. */
    public Builder toolHandler(ToolHandler handler) {
      tools.put(handler.toolName(), handler);
      return this;
    }

    public Builder telephony(TelephonyPort t) {
      this.telephony = t;
      return this;
    }

    public Builder ai(ConversationalAIPort a) {
      this.ai = a;
      return this;
    }

    public Builder repository(CallRepository r) {
      this.repository = r;
      return this;
    }

    public Builder clock(Clock c) {
      this.clock = Objects.requireNonNull(c, "clock");
      return this;
    }

    /** The monotonic clock the media pacer uses (for detector start times); {@code System::nanoTime}. */
    public Builder nanoClock(LongSupplier c) {
      this.nanoClock = Objects.requireNonNull(c, "nanoClock");
      return this;
    }

    public Builder settings(CallSettings s) {
      this.settings = Objects.requireNonNull(s, "settings");
      return this;
    }

    public Builder pipelines(AudioPipelineFactory p) {
      this.pipelines = Objects.requireNonNull(p, "pipelines");
      return this;
    }

    public Builder answeringMachineDetector(AnsweringMachineDetector d, AmdPolicy policy) {
      this.detector = Objects.requireNonNull(d, "detector");
      this.amdPolicy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /** Runs follow-ups and timers on this executor instead of an own {@code call-control} pool (not shut down by us). */
    public Builder controlExecutor(ScheduledExecutorService e) {
      this.control = e;
      return this;
    }

    public Builder listener(CallListener l) {
      listeners.add(Objects.requireNonNull(l, "listener"));
      return this;
    }

    public CallService build() {
      return new CallService(this);
    }
  }

  /** Daemon threads named {@code prefix-N}. */
  private static final class NamedThreads implements ThreadFactory {
    private final String prefix;
    private final AtomicInteger n = new AtomicInteger();

    NamedThreads(String prefix) {
      this.prefix = prefix;
    }

    @Override public Thread newThread(Runnable r) {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    }
  }
}
