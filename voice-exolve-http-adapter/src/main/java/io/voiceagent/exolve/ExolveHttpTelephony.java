package io.voiceagent.exolve;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.voiceagent.core.call.CallId;
import io.voiceagent.core.call.EndReason;
import io.voiceagent.core.call.TelephonyUnavailableException;
import io.voiceagent.core.telephony.DialRequest;
import io.voiceagent.core.telephony.MediaStats;
import io.voiceagent.core.telephony.MediaStream;
import io.voiceagent.core.telephony.TelephonyEnd;
import io.voiceagent.core.telephony.TelephonyHealth;
import io.voiceagent.core.telephony.TelephonyListener;
import io.voiceagent.core.telephony.TelephonyPort;
import io.voiceagent.core.telephony.WebhookReceiver;
import io.voiceagent.sip.InboundCallPolicy;
import io.voiceagent.sip.InboundDecision;
import io.voiceagent.sip.InboundInvite;
import io.voiceagent.sip.SipUserAgent;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Calls placed with Exolve's HTTP API whose audio comes to our own SIP user agent as an inbound leg.
 *
 * <p><b>A call</b>: {@link #dial} sends {@code MakeCallback} (one line rings the callee, the other our SIP
 * account). With the callee first, Exolve rings us only once the callee has answered, so our leg's INVITE is the
 * answer: we accept it at once and hand its audio to the core ({@code answered}). With our account first we
 * answer our leg at once but tell the core {@code answered} only when an event says the callee answered.
 * Exolve's events (webhooks) and, while none arrive, {@code GetInfo} polling report ringing and the end; a
 * hang-up is a BYE on our leg, since Exolve has no HTTP hang-up.
 *
 * <p><b>Matching a leg to its call never guesses.</b> With {@code EXOLVE_LEG_MATCH_HEADER} the INVITE must carry
 * that header naming the call (our id, Exolve's {@code call_id} or {@code call_sid}), and calls are placed in
 * parallel. Without it, an INVITE that names one of our calls in any header is matched by that; otherwise
 * only one call may be awaiting its leg at a time, further dials wait in a bounded queue, and a call that ended
 * while its leg might still come keeps the slot (quarantine) until Exolve says it is over or the leg window
 * has passed. INVITEs from anywhere but the registered proxy (or {@code EXOLVE_LEG_SOURCES}) are rejected.
 *
 * <p>Threads: one {@code exolve-http} thread delivers every event to the core in the order decided (under one
 * lock) and runs timers, polls and webhook processing; OkHttp's {@code exolve-http-io} threads and the SIP
 * adapter's thread decide under the lock and hand deliveries to it. No thread per call.
 */
final class ExolveHttpTelephony implements TelephonyPort, InboundCallPolicy {
  private static final Logger log = LoggerFactory.getLogger(ExolveHttpTelephony.class);
  static final String PROVIDER = "exolve-http";
  private static final int RECENT_CALLS = 1024;
  private static final int UNCLAIMED_IDS = 256;
  private static final int UNCLAIMED_PER_ID = 16;
  private static final int MAX_PENDING_WEBHOOKS = 10_000;
  private static final Duration UNCLAIMED_TTL = Duration.ofMinutes(2);
  private static final Duration RESOLVE_EVERY = Duration.ofMinutes(5);
  private static final Duration FLUSH_WAIT = Duration.ofSeconds(5); // the worker's tasks take microseconds
  /** MakeCall's leg must arrive this long before the core's own ring timer, so the failure says why. */
  private static final Duration LEG_TIMER_LEAD = Duration.ofSeconds(2);

  private final ExolveHttpConfig config;
  private final ExolveApi api;
  private final LongSupplier nanoClock;
  private final ScheduledThreadPoolExecutor worker;
  private volatile Thread workerThread;
  private final ExolveWebhookReceiver webhooks;
  private final String proxyHost;
  private final SipUserAgent ua;

  private final Object lock = new Object();
  // guarded by lock
  private final Map<CallId, HttpCall> calls = new HashMap<>();
  private final Map<String, HttpCall> byExternalId = new HashMap<>();
  private final ArrayDeque<HttpCall> queue = new ArrayDeque<>();
  private HttpCall slot;
  private final Map<String, HttpCall> recent = new LinkedHashMap<>(16, 0.75f, false) {
    private static final long serialVersionUID = 1L;

    @Override protected boolean removeEldestEntry(Map.Entry<String, HttpCall> eldest) {
      return size() > RECENT_CALLS;
    }
  };
  private final Map<String, List<Unclaimed>> unclaimed = new LinkedHashMap<>();

  private volatile List<InetAddress> proxyAddresses = List.of();
  private volatile long lastResolveNanos;
  private final AtomicInteger pendingWebhooks = new AtomicInteger();
  private final AtomicLong webhookEvents = new AtomicLong();
  private final AtomicLong legsAccepted = new AtomicLong();
  private final AtomicLong legsRejected = new AtomicLong();
  private final AtomicLong unclaimedDropped = new AtomicLong();
  private volatile boolean closed;

  private record Unclaimed(WebhookEvent event, long atNanos) {}

  /**
   * Starts the port: the worker thread, the HTTP client, and the SIP user agent that {@code userAgent} builds
   * with this port as its inbound-call policy.
   */
  ExolveHttpTelephony(ExolveHttpConfig config, String proxyHost, Function<InboundCallPolicy, SipUserAgent> userAgent,
      LongSupplier nanoClock) {
    this.config = Objects.requireNonNull(config, "config");
    this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
    this.proxyHost = proxyHost;
    ObjectMapper json = new ObjectMapper();
    this.api = new ExolveApi(config, json);
    this.worker = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "exolve-http");
      t.setDaemon(true);
      workerThread = t;
      return t;
    });
    worker.setRemoveOnCancelPolicy(true);
    worker.setExecuteExistingDelayedTasksAfterShutdownPolicy(false); // timers die with the port
    this.webhooks = new ExolveWebhookReceiver(config.webhookSecret(), json, this::acceptEvents);
    resolveProxy();
    SipUserAgent started;
    try {
      started = userAgent.apply(this);
    } catch (RuntimeException e) {
      worker.shutdownNow();
      api.close();
      throw e;
    }
    this.ua = started;
    if (!config.pollInterval().isZero()) {
      long ms = config.pollInterval().toMillis();
      worker.scheduleWithFixedDelay(this::pollTick, ms, ms, TimeUnit.MILLISECONDS);
    }
    worker.scheduleWithFixedDelay(this::resolveProxy, RESOLVE_EVERY.toMillis(), RESOLVE_EVERY.toMillis(),
        TimeUnit.MILLISECONDS);
    startupNotes();
  }

  private void startupNotes() {
    log.info("Exolve HTTP telephony: {} via {}, our leg to {}, {}", config.method().wireName, config.apiUrl(),
        config.agentNumber(), config.method() == ExolveHttpConfig.Method.MAKE_CALLBACK
            ? config.order().wireName().replace('_', ' ') : "no known audio path");
    if (config.method() == ExolveHttpConfig.Method.MAKE_CALL) {
      log.warn("EXOLVE_HTTP_METHOD=MakeCall is experimental: the method is not publicly documented and no audio path"
          + " is known for it; a call fails unless a leg reaches our SIP user agent within the ring timeout");
    }
    if (config.order() == ExolveHttpConfig.Order.AGENT_FIRST && config.method() == ExolveHttpConfig.Method.MAKE_CALLBACK) {
      log.warn("EXOLVE_CALLBACK_ORDER=agent_first: the callee's answer is known only from Exolve's events (type 's'"
          + " [3P]); unless they reach POST {}, no call ever connects the agent", ExolveWebhookReceiver.PATH);
    }
    if (config.webhookSecret() == null) {
      log.warn("EXOLVE_WEBHOOK_SECRET is not set: anyone who can reach POST {} can report call events",
          ExolveWebhookReceiver.PATH);
    }
    if (isLoopback(config.appHost())) {
      log.warn("USE_EXOLVE_HTTP=true but the API listens on APP_HOST={} (loopback only): Exolve's call events cannot"
          + " reach POST {} unless a TLS reverse proxy on this machine forwards them (docs/exolve-http.md)",
          config.appHost(), ExolveWebhookReceiver.PATH);
    }
    if (config.legMatchHeader() == null) {
      log.info("audio legs are matched by the one-pending-call rule: a call is placed only once the previous one's"
          + " leg has arrived or can no longer arrive (set EXOLVE_LEG_MATCH_HEADER when Exolve's INVITE names the call)");
    }
  }

  static boolean isLoopback(String host) {
    String h = host.trim();
    if (h.startsWith("[") && h.endsWith("]")) h = h.substring(1, h.length() - 1);
    if (h.equalsIgnoreCase("localhost")) return true;
    if (!h.matches("[0-9.]+|[0-9A-Fa-f:]+")) return false; // a name: not looked up
    try {
      return InetAddress.getByName(h).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  // ------------------------------------------------------------------ TelephonyPort

  @Override public void dial(DialRequest request, TelephonyListener listener) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(listener, "listener");
    if (closed) throw new TelephonyUnavailableException("the Exolve HTTP telephony is closed");
    TelephonyHealth sip = ua.health();
    if (!sip.ready()) {
      throw new TelephonyUnavailableException("our SIP account " + config.sipUser() + " is not ready (" + sip.state()
          + "): Exolve could not bring the call's audio leg to it, so the call is not placed");
    }
    synchronized (lock) {
      if (calls.containsKey(request.callId())) {
        throw new IllegalArgumentException("call " + request.callId() + " is already active");
      }
      HttpCall c = new HttpCall(request.callId(), request.number(), listener, request.ringTimeout());
      if (config.legMatchHeader() != null || slot == null) {
        calls.put(c.id, c);
        startPlacing(c);
        return;
      }
      if (queue.size() >= config.queueMax()) {
        throw new TelephonyUnavailableException(queue.size() + " calls are already waiting (EXOLVE_QUEUE_MAX) while"
            + " call " + slot.id + " awaits its audio leg: without EXOLVE_LEG_MATCH_HEADER one Exolve call is placed"
            + " at a time until its leg arrives (docs/exolve-http.md)");
      }
      calls.put(c.id, c);
      queue.add(c);
      log.info("call {}: queued behind call {} until that call's audio leg arrives ({} waiting)", c.id, slot.id,
          queue.size());
    }
  }

  /** Sends the call-placing request (under the lock; the request itself goes out on the worker). */
  private void startPlacing(HttpCall c) {
    c.state = HttpCall.State.PLACING;
    c.placedNanos = nanoClock.getAsLong();
    c.lastEventNanos = c.placedNanos;
    if (config.legMatchHeader() == null) slot = c;
    boolean makeCall = config.method() == ExolveHttpConfig.Method.MAKE_CALL;
    if (makeCall || config.order() == ExolveHttpConfig.Order.AGENT_FIRST) {
      Duration wait = c.ringTimeout.minus(LEG_TIMER_LEAD);
      if (wait.compareTo(Duration.ofSeconds(1)) < 0) wait = Duration.ofSeconds(1);
      c.legTimer = schedule(c, wait, () -> legTimeout(c));
    }
    run(c, () -> api.place(c.id, c.number, c.ringTimeout, new ExolveApi.PlaceCallback() {
      @Override public void placed(String externalId) {
        onPlaced(c, externalId);
      }

      @Override public void failed(ExolveApi.Failure failure) {
        onPlaceFailed(c, failure);
      }
    }));
  }

  private void onPlaced(HttpCall c, String externalId) {
    synchronized (lock) {
      c.externalId = externalId;
      c.lastEventNanos = nanoClock.getAsLong();
      if (c.state == HttpCall.State.PLACING) c.state = HttpCall.State.PLACED;
      if (calls.get(c.id) == c) {
        byExternalId.put(externalId, c);
      } else {
        recent.put(externalId, c);
      }
      deliver(c, l -> l.externalId(externalId));
      List<Unclaimed> early = unclaimed.remove(externalId);
      if (early != null) {
        log.info("call {}: {} event(s) for call_id {} came before MakeCallback's answer; applying them now", c.id,
            early.size(), externalId);
        for (Unclaimed u : early) handleEvent(c, u.event());
      }
    }
  }

  private void onPlaceFailed(HttpCall c, ExolveApi.Failure f) {
    synchronized (lock) {
      if (!f.mayHaveRung()) c.notPlaced = true;
      if (c.state != HttpCall.State.ENDED) {
        end(c, TelephonyEnd.error(f.message()));
      } else if (c.quarantined && c.notPlaced) {
        log.info("call {}: nothing was placed after all; its slot is free", c.id);
        forget(c);
      }
    }
  }

  /** MakeCall, or our account first: the leg should have come by now. */
  private void legTimeout(HttpCall c) {
    synchronized (lock) {
      if (!c.awaitingLeg()) return;
      long s = c.ringTimeout.toSeconds();
      String id = c.externalId == null ? "no call_id yet" : "call_id " + c.externalId;
      String message;
      if (config.method() == ExolveHttpConfig.Method.MAKE_CALL) {
        message = "EXOLVE_HTTP_METHOD=MakeCall is experimental: no audio leg reached our SIP user agent within " + s
            + " s (" + id + "); MakeCall is not publicly documented and no audio path is known for it: use MakeCallback";
      } else {
        message = "no audio leg reached our SIP user agent within " + s + " s (" + id + ") although our account rings"
            + " first (EXOLVE_CALLBACK_ORDER=agent_first): check that " + config.agentNumber()
            + " (EXOLVE_AGENT_NUMBER) reaches SIP account " + config.sipUser() + " and that it is registered";
      }
      log.warn("call {}: {}", c.id, message);
      end(c, TelephonyEnd.error(message));
    }
  }

  @Override public void hangup(CallId callId) {
    boolean flush = false;
    boolean bye = false;
    synchronized (lock) {
      HttpCall c = calls.get(callId);
      if (c == null) return;
      switch (c.state) {
        case QUEUED:
          end(c, new TelephonyEnd(EndReason.LOCAL_HANGUP, null,
              "hung up while waiting to be placed; Exolve was never asked to call"));
          flush = true;
          break;
        case PLACING:
        case PLACED: {
          long s = c.ringTimeout.toSeconds();
          String message = "the hang-up could not be sent to Exolve: its HTTP API has no hang-up and our audio leg"
              + " had not arrived yet, so the callee's phone may ring for up to " + s + " s; a leg that arrives later"
              + " is rejected";
          log.warn("call {}: {}", c.id, message);
          end(c, new TelephonyEnd(EndReason.LOCAL_HANGUP, null, message));
          flush = true;
          break;
        }
        case LEG:
        case ANSWERED:
          bye = true; // the leg's end reports the call's end
          break;
        default:
          bye = c.legAccepted && !c.legEnded;
          break;
      }
    }
    if (bye) ua.hangup(callId);
    if (flush) flush();
  }

  @Override public void sendDtmf(CallId callId, String digits) {
    ua.sendDtmf(callId, digits);
  }

  @Override public Optional<MediaStats> mediaStats(CallId callId) {
    return ua.mediaStats(callId);
  }

  /** HTTP-placed calls report ringing only when an event says so: the core prepares the AI at dial. */
  @Override public boolean reportsRinging() {
    return false;
  }

  @Override public Optional<WebhookReceiver> webhooks() {
    return Optional.of(webhooks);
  }

  /**
   * Ready when the SIP account is registered (the audio leg needs it). Details: the SIP user agent's, plus
   * {@code api_url}, {@code method}, {@code callback_order}, {@code awaiting_leg}, {@code queued_calls},
   * {@code webhook_events}, {@code webhooks_rejected}, {@code webhook_secret}, {@code legs_accepted},
   * {@code legs_rejected}.
   */
  @Override public TelephonyHealth health() {
    TelephonyHealth sip = ua.health();
    Map<String, String> d = new TreeMap<>(sip.details());
    d.put("api_url", config.apiUrl().toString());
    d.put("method", config.method().wireName);
    d.put("callback_order", config.order().wireName());
    synchronized (lock) {
      d.put("awaiting_leg", slot == null ? "none" : slot.id.value() + (slot.quarantined ? " (ended; its leg may still come)" : ""));
      d.put("queued_calls", Integer.toString(queue.size()));
    }
    d.put("webhook_events", Long.toString(webhookEvents.get()));
    d.put("webhooks_rejected", Long.toString(webhooks.rejected()));
    d.put("webhook_secret", config.webhookSecret() == null ? "not set" : "set");
    d.put("legs_accepted", Long.toString(legsAccepted.get()));
    d.put("legs_rejected", Long.toString(legsRejected.get()));
    if (closed) return new TelephonyHealth(false, PROVIDER, "closed", d);
    return new TelephonyHealth(sip.ready(), PROVIDER, sip.state(), d);
  }

  @Override public void close() {
    if (closed) return;
    closed = true;
    synchronized (lock) {
      for (HttpCall c : new ArrayList<>(calls.values())) {
        if (c.state == HttpCall.State.ENDED || c.legAccepted) continue; // legs: the user agent BYEs them
        end(c, new TelephonyEnd(EndReason.LOCAL_HANGUP, null, "the Exolve HTTP telephony is shutting down"
            + (c.state == HttpCall.State.QUEUED ? "" : "; a call Exolve is placing cannot be stopped over HTTP")));
      }
      queue.clear();
    }
    try {
      ua.close();
    } finally {
      api.close();
      flush();
      worker.shutdown();
      try {
        if (!worker.awaitTermination(5, TimeUnit.SECONDS)) worker.shutdownNow();
      } catch (InterruptedException e) {
        worker.shutdownNow();
        Thread.currentThread().interrupt();
      }
      log.info("Exolve HTTP telephony closed");
    }
  }

  // ------------------------------------------------------------------ our leg (SIP adapter's thread)

  /** Accepts only a leg that certainly belongs to a call we placed; see the class comment. */
  @Override public InboundDecision decide(InboundInvite invite) {
    if (log.isDebugEnabled()) {
      log.debug("inbound INVITE {} from {} ({}), to {}, headers {}", invite.sipCallId(), invite.fromUri(),
          invite.source(), invite.toUri(), new TreeMap<>(invite.headers()));
    }
    if (closed) return reject(invite, 503, "we are shutting down");
    String source = invite.source().getHostString();
    if (!fromProxy(source)) {
      maybeResolveAgain();
      return reject(invite, 403, "it came from " + source + ", not from the registered proxy " + proxyHost + " "
          + proxyAddresses + (config.legSources().isEmpty() ? "" : " or EXOLVE_LEG_SOURCES " + config.legSources())
          + "; if Exolve sends legs from there, add it to EXOLVE_LEG_SOURCES");
    }
    if (!invite.requestUser().isEmpty() && !invite.requestUser().equals(config.sipUser())
        && !invite.requestUser().equals(config.agentNumber())) {
      log.info("inbound INVITE {} is for '{}', expected our SIP login {} [unverified what Exolve puts there]",
          invite.sipCallId(), invite.requestUser(), config.sipUser());
    }
    synchronized (lock) {
      HttpCall named = null;
      String where = null;
      List<HttpCall> candidates = new ArrayList<>(calls.values());
      candidates.addAll(recent.values()); // a late leg of a forgotten call must never be taken for another
      for (HttpCall c : candidates) {
        if (c.state == HttpCall.State.QUEUED) continue;
        String h = naming(invite, c);
        if (h == null) continue;
        if (named != null && named != c) {
          return reject(invite, 404, "it names two of our calls (" + named.id + ", " + c.id + ")");
        }
        named = c;
        where = h;
      }
      if (config.legMatchHeader() != null && named == null) {
        String value = invite.header(config.legMatchHeader());
        return reject(invite, 404, value == null
            ? "it has no " + config.legMatchHeader() + " header (EXOLVE_LEG_MATCH_HEADER)"
            : config.legMatchHeader() + " is '" + ExolveHttpConfig.printable(value) + "', which names none of our calls");
      }
      if (named != null) {
        if (named.state == HttpCall.State.ENDED) {
          HttpCall late = named;
          InboundDecision d = reject(invite, 603, "it is the leg of call " + late.id + ", which has ended");
          if (late.quarantined) {
            log.info("call {}: its late leg came and was rejected; its slot is free", late.id);
            forget(late);
          }
          return d;
        }
        if (named.legAccepted) return reject(invite, 486, "call " + named.id + " already has its leg");
        log.info("call {}: the INVITE names the call in its {} header{}", named.id, where,
            config.legMatchHeader() == null ? ": a certain match (EXOLVE_LEG_MATCH_HEADER=" + where
                + " would let calls be placed in parallel)" : "");
        return acceptLeg(named, invite);
      }
      HttpCall c = slot;
      if (c == null) return reject(invite, 404, "no call is awaiting its audio leg");
      if (c.state == HttpCall.State.ENDED) {
        // Probably the late leg of that call, but nothing says so: keep its slot closed all the same.
        return reject(invite, 603, "call " + c.id + " ended before its leg came; the slot stays closed until Exolve"
            + " says that call is over or its leg window passes");
      }
      if (!c.awaitingLeg()) return reject(invite, 404, "no call is awaiting its audio leg");
      if (!fromMatches(invite, c)) {
        return reject(invite, 404, "its From user is '" + invite.fromUser() + "', expected the callee " + c.number
            + " or " + config.sourceNumber() + " (EXOLVE_LEG_CHECK_FROM=true)");
      }
      log.info("call {}: audio leg from {} matched as the one call awaiting its leg", c.id, invite.fromUri());
      return acceptLeg(c, invite);
    }
  }

  private String naming(InboundInvite invite, HttpCall c) {
    String header = config.legMatchHeader();
    if (header != null) {
      String value = invite.header(header);
      if (value == null) return null;
      for (String name : names(c)) {
        if (InviteNames.namedIn(value, name)) return header;
      }
      return null;
    }
    for (String name : names(c)) {
      String h = InviteNames.headerNaming(invite, name);
      if (h != null) return h;
    }
    return null;
  }

  private static List<String> names(HttpCall c) {
    List<String> out = new ArrayList<>(3);
    out.add(c.id.value());
    if (c.externalId != null) out.add(c.externalId);
    if (c.callSid != null) out.add(c.callSid);
    return out;
  }

  private boolean fromMatches(InboundInvite invite, HttpCall c) {
    String from = invite.fromUser().startsWith("+") ? invite.fromUser().substring(1) : invite.fromUser();
    boolean expected = from.equals(c.number.digits()) || from.equals(config.sourceNumber());
    if (!expected) {
      log.info("call {}: the leg's From user is '{}'; expected the callee {} or {} [unverified which Exolve sends]",
          c.id, from, c.number, config.sourceNumber());
    }
    return expected || !config.legCheckFrom();
  }

  private InboundDecision acceptLeg(HttpCall c, InboundInvite invite) {
    c.legAccepted = true;
    c.state = HttpCall.State.LEG;
    if (c.legTimer != null) c.legTimer.cancel(false);
    legsAccepted.incrementAndGet();
    if (slot == c) {
      slot = null;
      advanceQueue();
    }
    log.info("call {}: accepting our audio leg (SIP Call-ID {})", c.id, invite.sipCallId());
    return InboundDecision.accept(c.id, new LegListener(c));
  }

  private InboundDecision reject(InboundInvite invite, int code, String why) {
    legsRejected.incrementAndGet();
    log.warn("inbound INVITE {} from {} ({}) rejected with {}: {}", invite.sipCallId(), invite.fromUri(),
        invite.source(), code, why);
    return InboundDecision.reject(code);
  }

  private boolean fromProxy(String source) {
    InetAddress a;
    if (!source.matches("[0-9.]+|[0-9A-Fa-f:]+")) return false; // a name in Via: never looked up per INVITE
    try {
      a = InetAddress.getByName(source);
    } catch (UnknownHostException e) {
      return false;
    }
    return proxyAddresses.contains(a) || config.legSources().contains(a);
  }

  private void maybeResolveAgain() {
    long now = nanoClock.getAsLong();
    if (now - lastResolveNanos < Duration.ofSeconds(30).toNanos()) return;
    lastResolveNanos = now;
    try {
      worker.execute(this::resolveProxy);
    } catch (RejectedExecutionException e) {
      // closing
    }
  }

  /** Looks the registered proxy up by DNS (at start, every few minutes, and after a leg from elsewhere). */
  private void resolveProxy() {
    if (proxyHost == null) return;
    lastResolveNanos = nanoClock.getAsLong();
    try {
      List<InetAddress> found = List.of(InetAddress.getAllByName(proxyHost));
      if (!found.equals(proxyAddresses)) log.info("the SIP proxy {} is at {}", proxyHost, found);
      proxyAddresses = found;
    } catch (UnknownHostException e) {
      log.warn("cannot resolve the SIP proxy {} ({}); legs are accepted only from its last known addresses {}",
          proxyHost, e.getMessage(), proxyAddresses);
    }
  }

  /** Our leg's events, from the SIP user agent. */
  private final class LegListener implements TelephonyListener {
    private final HttpCall c;

    LegListener(HttpCall c) {
      this.c = c;
    }

    @Override public void ringing() {}

    @Override public void earlyMedia() {}

    @Override public void answered(MediaStream media) {
      boolean bye = false;
      synchronized (lock) {
        if (c.state == HttpCall.State.ENDED) {
          bye = true;
        } else {
          c.legMedia = media;
          if (config.method() == ExolveHttpConfig.Method.MAKE_CALL || config.order() == ExolveHttpConfig.Order.CALLEE_FIRST
              || c.calleeAnswered) {
            answer(c, config.order() == ExolveHttpConfig.Order.CALLEE_FIRST
                ? "our leg is Exolve's second line: the callee has answered" : "an event had said the callee answered");
          } else {
            log.info("call {}: our leg is up; waiting for an event saying the callee answered", c.id);
            reportRinging(c);
          }
        }
      }
      if (bye) {
        log.info("call {}: our leg answered after the call had ended; hanging it up", c.id);
        ua.hangup(c.id);
      }
    }

    @Override public void dtmfReceived(char digit) {
      synchronized (lock) {
        if (c.state == HttpCall.State.ANSWERED) deliver(c, l -> l.dtmfReceived(digit));
      }
    }

    @Override public void ended(TelephonyEnd end) {
      synchronized (lock) {
        c.legEnded = true;
        if (c.state == HttpCall.State.ENDED) {
          maybeForget(c);
          return;
        }
        boolean early = c.state != HttpCall.State.ANSWERED && end.reason() != EndReason.LOCAL_HANGUP
            && config.order() == ExolveHttpConfig.Order.AGENT_FIRST && !c.exolveDone;
        if (!early) {
          end(c, end);
          return;
        }
        // Exolve ended our leg before the callee answered: busy, no answer, rejected? Its end event says which.
        log.info("call {}: Exolve ended our leg ({}) before the callee answered; waiting {} ms for its event", c.id,
            end.reason().wireName(), config.causeWait().toMillis());
        c.causeTimer = schedule(c, config.causeWait(), () -> {
          synchronized (lock) {
            if (c.state == HttpCall.State.ENDED) return;
            end(c, new TelephonyEnd(EndReason.REMOTE_HANGUP, end.sipCode(), "Exolve ended our leg before the callee"
                + " answered, and no call event said why within " + config.causeWait().toMillis()
                + " ms (expected an end event with cause_code at " + ExolveWebhookReceiver.PATH + ")"));
          }
        });
      }
    }
  }

  private void answer(HttpCall c, String why) {
    c.state = HttpCall.State.ANSWERED;
    c.cancelTimers();
    MediaStream media = c.legMedia;
    log.info("call {}: answered ({})", c.id, why);
    deliver(c, l -> l.answered(media));
  }

  private void reportRinging(HttpCall c) {
    if (c.ringingReported) return;
    c.ringingReported = true;
    deliver(c, TelephonyListener::ringing);
  }

  // ------------------------------------------------------------------ call events (webhooks, GetInfo)

  /** From the webhook receiver (app's HTTP thread): hands the events to the worker. */
  private boolean acceptEvents(List<WebhookEvent> events) {
    if (closed || pendingWebhooks.get() >= MAX_PENDING_WEBHOOKS) return false;
    pendingWebhooks.incrementAndGet();
    try {
      worker.execute(() -> {
        pendingWebhooks.decrementAndGet();
        for (WebhookEvent e : events) onEvent(e);
      });
      return true;
    } catch (RejectedExecutionException e) {
      pendingWebhooks.decrementAndGet();
      return false;
    }
  }

  private void onEvent(WebhookEvent e) {
    webhookEvents.incrementAndGet();
    if (e.callId() == null) {
      log.warn("call event without call_id [3P: expected call_id as a number or string]: {}", e.summary());
      return;
    }
    synchronized (lock) {
      HttpCall c = byExternalId.get(e.callId());
      if (c == null) {
        HttpCall old = recent.get(e.callId());
        if (old != null) {
          log.debug("call {}: late event '{}' after the call was over: {}", old.id, e.type(), e.summary());
          return;
        }
        keepUnclaimed(e);
        return;
      }
      try (var ignored = MDC.putCloseable("call_id", c.id.value())) {
        handleEvent(c, e);
      }
    }
  }

  /** An event for a call_id we do not know (yet): MakeCallback's answer may still be on its way. */
  private void keepUnclaimed(WebhookEvent e) {
    long now = nanoClock.getAsLong();
    unclaimed.values().removeIf(list -> now - list.get(list.size() - 1).atNanos() > UNCLAIMED_TTL.toNanos());
    List<Unclaimed> list = unclaimed.get(e.callId());
    if (list == null) {
      if (unclaimed.size() >= UNCLAIMED_IDS) {
        var it = unclaimed.entrySet().iterator();
        unclaimedDropped.addAndGet(it.next().getValue().size());
        it.remove();
      }
      list = new ArrayList<>(2);
      unclaimed.put(e.callId(), list);
    }
    if (list.size() >= UNCLAIMED_PER_ID) {
      unclaimedDropped.incrementAndGet();
      return;
    }
    list.add(new Unclaimed(e, now));
    log.info("call event '{}' for call_id {}, which is none of our calls (yet): kept {} s in case MakeCallback's"
        + " answer is still on its way: {}", e.type(), e.callId(), UNCLAIMED_TTL.toSeconds(), e.summary());
  }

  /** One event for one call, under the lock: idempotent per type, and never moving the call backwards. */
  private void handleEvent(HttpCall c, WebhookEvent e) {
    c.lastEventNanos = nanoClock.getAsLong();
    if (e.callSid() != null && c.callSid == null) c.callSid = e.callSid();
    if (!c.seenEvents.add(e.type())) {
      log.debug("call {}: repeated event '{}' ignored", c.id, e.type());
      return;
    }
    switch (e.type()) {
      case "b":
        log.info("call {}: Exolve event 'b' (the call begins)", c.id);
        if ((c.state == HttpCall.State.PLACING || c.state == HttpCall.State.PLACED) && !c.exolveDone) reportRinging(c);
        break;
      case "s":
        log.info("call {}: Exolve event 's' (the B party answered [3P])", c.id);
        if (config.method() == ExolveHttpConfig.Method.MAKE_CALLBACK && config.order() == ExolveHttpConfig.Order.AGENT_FIRST
            && c.state != HttpCall.State.ENDED && !c.calleeAnswered) {
          c.calleeAnswered = true;
          if (c.state == HttpCall.State.LEG && c.legMedia != null) {
            answer(c, "event 's': the callee answered");
          } else if (c.state.compareTo(HttpCall.State.LEG) <= 0) {
            log.info("call {}: the callee answered before our leg was up; connecting as soon as it is", c.id);
          }
        }
        break;
      case "d":
      case "e":
        log.info("call {}: Exolve event '{}' (the call ended{}): {}", c.id, e.type(),
            e.causeCode() == null ? "" : ", Q.850 cause " + e.causeCode() + " " + CauseCodes.name(e.causeCode()),
            e.summary());
        if (e.type().equals("e") && e.causeCode() == null && c.state != HttpCall.State.ANSWERED
            && c.state != HttpCall.State.ENDED && !c.seenEvents.contains("d")) {
          // 'e' carries no cause; the 'd' with the metrics and cause_code usually follows at once [3P]
          c.exolveDone = true;
          if (c.causeTimer == null) {
            c.causeTimer = schedule(c, config.causeWait(), () -> {
              synchronized (lock) {
                exolveEnded(c, CauseCodes.end(null, c.state == HttpCall.State.ANSWERED, c.legAccepted));
              }
            });
          }
          break;
        }
        exolveEnded(c, CauseCodes.end(e.causeCode(), c.state == HttpCall.State.ANSWERED, c.legAccepted));
        break;
      case "crr":
        log.info("call {}: Exolve event 'crr' (a recording is ready): {}", c.id, e.summary());
        break;
      case "o":
      case "h":
        log.info("call {}: Exolve event '{}' (seen in the wild, meaning unknown [3P]; not interpreted): {}", c.id,
            e.type(), e.summary());
        break;
      default:
        log.warn("call {}: unknown Exolve event type '{}' (expected b, s, d, e, crr, o or h [3P]); ignored: {}", c.id,
            e.type(), e.summary());
        break;
    }
  }

  /** Exolve says the call is over: end it (BYE on our leg if it is up) and free a quarantined slot. */
  private void exolveEnded(HttpCall c, TelephonyEnd end) {
    c.exolveDone = true;
    if (c.state == HttpCall.State.ENDED) {
      if (c.quarantined) {
        log.info("call {}: Exolve says the call is over; its slot is free", c.id);
        forget(c);
      }
      return;
    }
    end(c, end);
  }

  /** GetInfo for calls that have heard no event for a poll interval (worker thread). */
  private void pollTick() {
    long now = nanoClock.getAsLong();
    long quiet = config.pollInterval().toNanos();
    List<HttpCall> due = new ArrayList<>();
    synchronized (lock) {
      for (HttpCall c : calls.values()) {
        boolean watching = c.state == HttpCall.State.PLACED || c.quarantined
            || (c.state == HttpCall.State.LEG && config.order() == ExolveHttpConfig.Order.AGENT_FIRST);
        if (!watching || c.externalId == null || c.pollInFlight || c.exolveDone) continue;
        if (now - c.lastEventNanos < quiet) continue;
        c.pollInFlight = true;
        due.add(c);
      }
    }
    for (HttpCall c : due) {
      api.getInfo(c.externalId, new ExolveApi.InfoCallback() {
        @Override public void status(String status, String body) {
          onStatus(c, status, body);
        }

        @Override public void failed(String message) {
          synchronized (lock) {
            c.pollInFlight = false;
            if (!c.pollOddityLogged) {
              c.pollOddityLogged = true;
              log.warn("call {}: {} (polling goes on; the call is not ended for it)", c.id, message);
            } else {
              log.debug("call {}: {}", c.id, message);
            }
          }
        }
      });
    }
  }

  private void onStatus(HttpCall c, String status, String body) {
    synchronized (lock) {
      c.pollInFlight = false;
      try (var ignored = MDC.putCloseable("call_id", c.id.value())) {
        String s = status == null ? null : status.trim().toLowerCase(Locale.ROOT);
        TelephonyEnd end = s == null ? null : statusEnd(s, c);
        if (end == null) {
          if (!c.pollOddityLogged) {
            c.pollOddityLogged = true;
            log.info("call {}: GetInfo {} [3P: expected a 'status' of completed, no_answer, busy, rejected, canceled or"
                + " failed]; treated as still in progress: {}", c.id, s == null ? "has no 'status'" : "says '" + s + "'", body);
          } else {
            log.debug("call {}: GetInfo status {}", c.id, s);
          }
          return;
        }
        log.info("call {}: GetInfo says '{}'", c.id, s);
        exolveEnded(c, end);
      }
    }
  }

  /** GetInfo's final statuses [3P]; null for anything else (still in progress as far as we know). */
  private static TelephonyEnd statusEnd(String status, HttpCall c) {
    boolean answered = c.state == HttpCall.State.ANSWERED;
    switch (status) {
      case "busy": return TelephonyEnd.of(EndReason.BUSY);
      case "no_answer": return TelephonyEnd.of(EndReason.NO_ANSWER);
      case "rejected": return TelephonyEnd.of(EndReason.REJECTED);
      case "canceled":
      case "cancelled":
        return TelephonyEnd.error("Exolve reports the call canceled (GetInfo)");
      case "failed":
        return TelephonyEnd.error("Exolve reports the call failed (GetInfo)");
      case "completed":
        if (answered) return TelephonyEnd.of(EndReason.REMOTE_HANGUP);
        return TelephonyEnd.error("Exolve reports the call completed (GetInfo), but " + (c.legAccepted
            ? "the callee never answered on our leg" : "its audio leg never reached our SIP user agent"));
      default:
        return null;
    }
  }

  // ------------------------------------------------------------------ the end, the slot, delivery (under lock)

  /** Ends the call towards the core exactly once; BYEs our leg if it is up; quarantines it if its leg may come. */
  private void end(HttpCall c, TelephonyEnd end) {
    if (c.state == HttpCall.State.ENDED) return;
    boolean mayStillCome = c.awaitingLeg() && !c.notPlaced && !c.exolveDone;
    HttpCall.State was = c.state;
    c.state = HttpCall.State.ENDED;
    c.cancelTimers();
    queue.remove(c);
    if (c.legAccepted && !c.legEnded) run(c, () -> ua.hangup(c.id));
    if (mayStillCome && config.legMatchHeader() == null) {
      c.quarantined = true;
      Duration window = config.httpTimeout().plus(c.ringTimeout).plus(config.legMargin());
      long left = c.placedNanos + window.toNanos() - nanoClock.getAsLong();
      c.quarantineTimer = schedule(c, Duration.ofNanos(Math.max(0, left)), () -> {
        synchronized (lock) {
          if (!c.quarantined) return;
          log.info("call {}: no leg arrived within {} s of placing it; its slot is free", c.id, window.toSeconds());
          forget(c);
        }
      });
      log.info("call {}: ended while its leg may still come (Exolve cannot be told to stop); keeping the slot for up"
          + " to {} s", c.id, Duration.ofNanos(Math.max(0, left)).toSeconds());
    } else if (mayStillCome) {
      c.quarantined = true; // header matching: a late leg is recognised by name; keep it to reject that leg
      c.quarantineTimer = schedule(c, config.httpTimeout().plus(c.ringTimeout).plus(config.legMargin()), () -> {
        synchronized (lock) {
          if (c.quarantined) forget(c);
        }
      });
    }
    log.info("call {}: ended ({}{}) in state {}", c.id, end.reason().wireName(),
        end.message() == null ? "" : ": " + end.message(), was);
    deliver(c, l -> l.ended(end));
    maybeForget(c);
  }

  private void maybeForget(HttpCall c) {
    if (c.state == HttpCall.State.ENDED && !c.quarantined && (!c.legAccepted || c.legEnded)) forget(c);
  }

  /** The call leaves the live tables; its slot, if it held it, goes to the next queued call. */
  private void forget(HttpCall c) {
    c.quarantined = false;
    if (c.quarantineTimer != null) c.quarantineTimer.cancel(false);
    calls.remove(c.id, c);
    if (c.externalId != null) {
      byExternalId.remove(c.externalId, c);
      recent.put(c.externalId, c);
    }
    if (slot == c) {
      slot = null;
      advanceQueue();
    }
  }

  private void advanceQueue() {
    while (slot == null && !queue.isEmpty()) {
      HttpCall next = queue.poll();
      if (next.state != HttpCall.State.QUEUED) continue;
      log.info("call {}: the slot is free; placing it", next.id);
      startPlacing(next);
    }
  }

  /** Hands an event for the core to the worker, in the order decided (call under the lock). */
  private void deliver(HttpCall c, Consumer<TelephonyListener> event) {
    run(c, () -> event.accept(c.listener));
  }

  private void run(HttpCall c, Runnable task) {
    Runnable wrapped = () -> {
      try (var ignored = MDC.putCloseable("call_id", c.id.value())) {
        task.run();
      } catch (RuntimeException e) {
        log.warn("call {}: a follow-up failed", c.id, e);
      }
    };
    try {
      worker.execute(wrapped);
    } catch (RejectedExecutionException e) {
      wrapped.run(); // shut down: do it here rather than lose an end
    }
  }

  private ScheduledFuture<?> schedule(HttpCall c, Duration delay, Runnable task) {
    try {
      return worker.schedule(() -> {
        try (var ignored = MDC.putCloseable("call_id", c.id.value())) {
          task.run();
        } catch (RuntimeException e) {
          log.warn("call {}: a timer failed", c.id, e);
        }
      }, delay.toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      return null;
    }
  }

  /** Waits until the worker has run what is queued before now (not when called on it). */
  private void flush() {
    if (Thread.currentThread() == workerThread) return;
    try {
      Future<?> f = worker.submit(() -> {});
      f.get(FLUSH_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException | ExecutionException | TimeoutException e) {
      // shut down or slow: the events still arrive, just after the caller has returned
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ------------------------------------------------------------------ for tests

  SipUserAgent userAgent() {
    return ua;
  }

  int queued() {
    synchronized (lock) {
      return queue.size();
    }
  }

  CallId awaitingLeg() {
    synchronized (lock) {
      return slot == null ? null : slot.id;
    }
  }

  int liveCalls() {
    synchronized (lock) {
      return calls.size();
    }
  }

  /** Whether the call's leg has answered (its audio exists). */
  boolean legUp(CallId id) {
    synchronized (lock) {
      HttpCall c = calls.get(id);
      return c != null && c.legMedia != null;
    }
  }

  /** Events kept for call_ids not (yet) ours. */
  int unclaimed() {
    synchronized (lock) {
      return unclaimed.values().stream().mapToInt(List::size).sum();
    }
  }

  /** Returns once everything handed to the worker so far has run. */
  void drain() throws Exception {
    for (int round = 0; round < 3; round++) { // events enqueue deliveries, deliveries may enqueue a BYE
      worker.submit(() -> {}).get(30, TimeUnit.SECONDS);
    }
  }

  long unclaimedDropped() {
    return unclaimedDropped.get();
  }

  @Override public String toString() {
    return "ExolveHttpTelephony[" + config.method().wireName + ", " + config.order().wireName() + ", " + ua
        + (closed ? ", closed" : "") + "]";
  }
}
