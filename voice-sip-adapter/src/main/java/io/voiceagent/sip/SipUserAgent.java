package io.voiceagent.sip;

import io.voiceagent.core.call.CallId;
import io.voiceagent.core.call.TelephonyUnavailableException;
import io.voiceagent.core.telephony.DialRequest;
import io.voiceagent.core.telephony.MediaStats;
import io.voiceagent.core.telephony.TelephonyHealth;
import io.voiceagent.core.telephony.TelephonyListener;
import io.voiceagent.core.telephony.TelephonyPort;
import io.voiceagent.rtp.RtpConfig;
import io.voiceagent.rtp.RtpEngine;
import io.voiceagent.sip.RegistrationStatus.State;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.ListIterator;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipListener;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionAlreadyExistsException;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.CallIdHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A SIP user agent on jain-sip: registers with a registrar, places calls, answers inbound calls that an
 * {@link InboundCallPolicy} accepts, and hands each answered call's audio over as a
 * {@link io.voiceagent.core.telephony.MediaStream} from the {@code voice-rtp} engine.
 *
 * <p>It is the {@code sip} provider's {@link TelephonyPort}, and usable on its own: the Exolve HTTP adapter
 * answers its callback leg with it; the sandbox runs it as an embedded callee on loopback with registration
 * off. Build one with {@link #builder(SipConfig)}:
 * <pre>{@code
 * SipUserAgent ua = SipUserAgent.builder(SipConfig.fromSettings(settings))
 *     .rtpConfig(new RtpConfig(InetAddress.getByName("0.0.0.0"), 10000, 20000, Duration.ofSeconds(30)))
 *     .inboundPolicy(invite -> InboundDecision.reject(486))
 *     .start();
 * }</pre>
 *
 * <p>Threads: jain-sip's own (a few, shared by all calls) receive messages and hand every event at once to one
 * {@code sip-control} thread, which owns all call and registration state and runs the timers. The API
 * methods return at once; their work runs on {@code sip-control}. No thread per call.
 *
 * <p>What goes on the wire: {@code rport} in every Via; REGISTER to the proxy (RFC 3261 §10) refreshed before
 * expiry; a CRLF or OPTIONS keepalive to the proxy every {@code SIP_KEEPALIVE_S}; INVITE with an SDP offer of
 * PCMA, PCMU and telephone-event 101; digest challenges (401/407) answered by our own digest code; CANCEL
 * before answer, BYE after; RFC 4028 session timers; OPTIONS answered 200; requests for unknown dialogs
 * answered 481. Requests that match no call and no policy cost one stateless response.
 */
public final class SipUserAgent implements TelephonyPort {
  private static final Logger log = LoggerFactory.getLogger(SipUserAgent.class);
  private static final AtomicInteger INSTANCES = new AtomicInteger();
  private static final int RECENT_STATS = 256;
  private static final Duration UNREGISTER_WAIT = Duration.ofSeconds(3);

  private final SipConfig config;
  private final RtpEngine engine;
  private final boolean ownsEngine;
  private final InboundCallPolicy policy;
  private final Clock clock;
  private final ScheduledThreadPoolExecutor control;
  private final DigestAuthenticator authenticator;
  private final SipEndpoint endpoint;
  private final Registration registration;

  // calls by our id and by SIP Call-ID; written on sip-control, read by any thread
  private final Map<CallId, CallLeg> calls = new ConcurrentHashMap<>();
  private final Map<String, CallLeg> bySipCallId = new ConcurrentHashMap<>();
  // statistics of recently ended calls; sip-control writes, API threads read under its lock
  private final Map<CallId, MediaStats> recentStats = new LinkedHashMap<>(16, 0.75f, false) {
    private static final long serialVersionUID = 1L;

    @Override protected boolean removeEldestEntry(Map.Entry<CallId, MediaStats> eldest) {
      return size() > RECENT_STATS;
    }
  };
  private final AtomicLong strayRequests = new AtomicLong();
  private final AtomicLong rejectedInvites = new AtomicLong();
  private volatile boolean closed;
  private ScheduledFuture<?> keepalive;

  private SipUserAgent(Builder b) {
    this.config = b.config;
    this.policy = b.policy;
    this.clock = b.clock;
    this.authenticator = config.password() == null ? null : new DigestAuthenticator(config.user(), config.password());
    int n = INSTANCES.incrementAndGet();
    this.control = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "sip-control-" + n);
      t.setDaemon(true);
      return t;
    });
    control.setRemoveOnCancelPolicy(true);
    control.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    RtpEngine e = b.engine;
    boolean owns = false;
    if (e == null) {
      e = RtpEngine.start(b.rtpConfig);
      owns = true;
    }
    this.engine = e;
    this.ownsEngine = owns;
    SipEndpoint ep;
    try {
      ep = SipEndpoint.start(config, new Dispatcher());
    } catch (RuntimeException ex) {
      control.shutdownNow();
      if (owns) e.close();
      throw ex;
    }
    this.endpoint = ep;
    this.registration = config.register() ? new Registration(ep, control, clock, authenticator) : null;
  }

  /** A builder for a user agent with {@code config}. */
  public static Builder builder(SipConfig config) {
    return new Builder(config);
  }

  /** Builds and starts a {@link SipUserAgent}. */
  public static final class Builder {
    private final SipConfig config;
    private RtpEngine engine;
    private RtpConfig rtpConfig;
    private InboundCallPolicy policy;
    private Clock clock = Clock.systemUTC();

    private Builder(SipConfig config) {
      this.config = Objects.requireNonNull(config, "config");
    }

    /** Uses {@code engine} for media; it is borrowed: the caller closes it after the user agent. */
    public Builder rtpEngine(RtpEngine engine) {
      this.engine = Objects.requireNonNull(engine, "engine");
      return this;
    }

    /** Starts an engine of its own with {@code rtpConfig} (ignored when {@link #rtpEngine} is given). */
    public Builder rtpConfig(RtpConfig rtpConfig) {
      this.rtpConfig = Objects.requireNonNull(rtpConfig, "rtpConfig");
      return this;
    }

    /** Accepts or rejects inbound INVITEs; without one, every inbound INVITE gets 603 and leaves no state. */
    public Builder inboundPolicy(InboundCallPolicy policy) {
      this.policy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /** The clock for registration expiry times (tests). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Binds the SIP port, starts the stack and the first REGISTER (when registration is on). Returns before
     * registration completes: watch {@link SipUserAgent#registration()} or {@link SipUserAgent#health()}.
     *
     * @throws SipException when no local SIP port can be bound
     */
    public SipUserAgent start() {
      if (engine == null && rtpConfig == null) {
        throw new IllegalStateException("neither an RTP engine nor an RtpConfig was given");
      }
      SipUserAgent ua = new SipUserAgent(this);
      ua.begin();
      return ua;
    }
  }

  private void begin() {
    if (registration != null) control.execute(registration::start);
    if (config.proxyHost() != null && !config.keepalive().isZero()) {
      long ms = config.keepalive().toMillis();
      keepalive = control.scheduleWithFixedDelay(this::keepalive, ms, ms, TimeUnit.MILLISECONDS);
    }
    log.info("SIP user agent started: {} on {}:{}/{}, registration {}", config.user(), endpoint.localIp,
        endpoint.localPort, config.transport().wireName(), registration == null ? "off" : "on");
  }

  // ------------------------------------------------------------------ public API

  /** The local address and port the SIP stack listens on. */
  public InetSocketAddress localAddress() {
    return new InetSocketAddress(endpoint.localIp, endpoint.localPort);
  }

  /** Registration's state; {@link State#OFF} when this user agent does not register. */
  public RegistrationStatus registration() {
    return registration == null ? new RegistrationStatus(State.OFF, null, null) : registration.status();
  }

  /** Calls that exist on the SIP side now (dialing, ringing, answered or ending). */
  public int activeCalls() {
    return calls.size();
  }

  /**
   * Places an outbound call to {@code sip:<number>@<EXOLVE_SIP_DOMAIN>}. Returns at once; the events go to
   * {@code listener} on the {@code sip-control} thread, ending with exactly one {@code ended}.
   *
   * @throws TelephonyUnavailableException when the user agent is closed
   * @throws IllegalArgumentException when a call with this id is already active
   */
  @Override public void dial(DialRequest request, TelephonyListener listener) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(listener, "listener");
    if (closed) throw new TelephonyUnavailableException("the SIP user agent is closed");
    CallLeg leg = CallLeg.outbound(request.callId(), listener, this);
    if (calls.putIfAbsent(request.callId(), leg) != null) {
      throw new IllegalArgumentException("call " + request.callId() + " is already active");
    }
    String number = request.number().digits();
    if (!submit(() -> leg.dial(number))) {
      calls.remove(request.callId());
      throw new TelephonyUnavailableException("the SIP user agent is closed");
    }
  }

  /** CANCEL before answer, BYE after; the call still reports {@code ended} once. Unknown ids are ignored. */
  @Override public void hangup(CallId callId) {
    CallLeg leg = calls.get(callId);
    if (leg != null) submit(leg::hangup);
  }

  /**
   * Sends RFC 4733 DTMF on an answered call; ignored (and logged) otherwise.
   *
   * @throws IllegalArgumentException when {@code digits} is empty, longer than 32 or holds anything but 0-9, *, #, A-D
   */
  @Override public void sendDtmf(CallId callId, String digits) {
    Objects.requireNonNull(digits, "digits");
    if (digits.isEmpty() || digits.length() > 32 || !digits.matches("[0-9*#A-Da-d]+")) {
      throw new IllegalArgumentException("DTMF digits '" + digits.replaceAll("\\p{Cntrl}", "?")
          + "' are not valid: expected 1-32 of 0-9, *, #, A-D");
    }
    CallLeg leg = calls.get(callId);
    if (leg != null) submit(() -> leg.sendDtmf(digits));
  }

  /**
   * {@code sip} health: ready when registered (or registration is off). Details: {@code registered},
   * {@code expires_at}, {@code last_error}, {@code transport}, {@code local_address}, {@code active_calls}.
   */
  @Override public TelephonyHealth health() {
    RegistrationStatus s = registration();
    Map<String, String> d = new HashMap<>();
    d.put("registered", Boolean.toString(s.state() == State.REGISTERED));
    if (s.expiresAt() != null) d.put("expires_at", s.expiresAt().toString());
    if (s.lastError() != null) d.put("last_error", s.lastError());
    d.put("transport", config.transport().wireName());
    d.put("local_address", endpoint.localIp + ":" + endpoint.localPort);
    d.put("active_calls", Integer.toString(calls.size()));
    boolean ready;
    String state;
    if (closed) {
      ready = false;
      state = "closed";
    } else if (s.state() == State.OFF) {
      ready = true;
      state = "ready";
    } else {
      ready = s.state() == State.REGISTERED;
      state = s.state().name().toLowerCase(Locale.ROOT);
    }
    return new TelephonyHealth(ready, "sip", state, d);
  }

  @Override public Optional<MediaStats> mediaStats(CallId callId) {
    CallLeg leg = calls.get(callId);
    if (leg != null) return Optional.ofNullable(leg.stats());
    synchronized (recentStats) {
      return Optional.ofNullable(recentStats.get(callId));
    }
  }

  /**
   * Ends every call (CANCEL or BYE; each reports {@code ended} with {@code local_hangup}), un-registers
   * ({@code Expires: 0}, waiting up to 3 s for the answer), stops the stack and its threads, and closes the RTP
   * engine if this user agent started it. Idempotent.
   */
  @Override public void close() {
    if (closed) return;
    closed = true;
    CompletableFuture<Void> done = new CompletableFuture<>();
    try {
      control.execute(() -> {
        if (keepalive != null) keepalive.cancel(false);
        for (CallLeg leg : calls.values().toArray(new CallLeg[0])) leg.shutdown();
        if (registration != null) {
          registration.unregister().whenComplete((v, e) -> done.complete(null));
        } else {
          done.complete(null);
        }
      });
      done.get(UNREGISTER_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException | RejectedExecutionException e) {
      log.warn("un-registering did not finish in {} s; closing anyway", UNREGISTER_WAIT.toSeconds());
    }
    CountDownLatch drained = new CountDownLatch(1);
    try {
      control.execute(drained::countDown);
      drained.await(UNREGISTER_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RejectedExecutionException e) {
      // already shut down
    }
    control.shutdownNow();
    endpoint.stop();
    if (ownsEngine) engine.close();
    log.info("SIP user agent {} closed", config.user());
  }

  @Override public String toString() {
    return "SipUserAgent[" + config.user() + "@" + endpoint.localIp + ":" + endpoint.localPort + "/"
        + config.transport().wireName() + ", " + registration().state() + (closed ? ", closed" : "") + "]";
  }

  // ------------------------------------------------------------------ package-private (tests, CallLeg)

  SipEndpoint endpoint() {
    return endpoint;
  }

  ScheduledExecutorService control() {
    return control;
  }

  DigestAuthenticator authenticator() {
    return authenticator;
  }

  RtpEngine engine() {
    return engine;
  }

  /** Dialogs the stack holds now (leak tests). */
  int stackDialogs() {
    return endpoint.stack.getDialogs().size();
  }

  /** Server and client transactions the stack holds now (leak tests). */
  int stackTransactions() {
    return endpoint.stack.getServerTransactionTableSize() + endpoint.stack.getClientTransactionTableSize();
  }

  /** Ids of the calls that exist now (tests). */
  java.util.Set<CallId> callIds() {
    return java.util.Set.copyOf(calls.keySet());
  }

  long strayRequests() {
    return strayRequests.get();
  }

  long rejectedInvites() {
    return rejectedInvites.get();
  }

  void index(CallLeg leg) {
    if (leg.sipCallId() != null) bySipCallId.put(leg.sipCallId(), leg);
  }

  void forget(CallLeg leg) {
    calls.remove(leg.id, leg);
    if (leg.sipCallId() != null) bySipCallId.remove(leg.sipCallId(), leg);
    MediaStats s = leg.stats();
    if (s != null) {
      synchronized (recentStats) {
        recentStats.put(leg.id, s);
      }
    }
  }

  private boolean submit(Runnable task) {
    try {
      control.execute(task);
      return true;
    } catch (RejectedExecutionException e) {
      return false;
    }
  }

  private void keepalive() {
    try {
      if (config.keepaliveOptions()) {
        sendOptionsToProxy();
      } else {
        InetAddress proxy = InetAddress.getByName(config.proxyHost());
        endpoint.listeningPoint.sendHeartbeat(proxy.getHostAddress(), config.proxyPort());
      }
    } catch (Exception e) {
      // IOException or an unresolvable proxy: the next keepalive tries again
      log.debug("keepalive to {} failed: {}", config.proxyHost(), e.toString());
    }
  }

  private void sendOptionsToProxy() throws Exception {
    SipURI uri = endpoint.addresses.createSipURI(null, config.domain());
    FromHeader from = endpoint.headers.createFromHeader(endpoint.addresses.createAddress(endpoint.aorUri()),
        Tags.newTag());
    ToHeader to = endpoint.headers.createToHeader(endpoint.addresses.createAddress(uri), null);
    Request r = endpoint.newRequest(Request.OPTIONS, uri, from, to, endpoint.provider.getNewCallId(), 1);
    r.addHeader(endpoint.contact());
    ClientTransaction tx = endpoint.provider.getNewClientTransaction(r);
    tx.setApplicationData(TxHandler.IGNORE);
    tx.sendRequest();
  }

  // ------------------------------------------------------------------ inbound requests (sip-control)

  private void onRequest(RequestEvent event) {
    Request req = event.getRequest();
    String method = req.getMethod();
    CallIdHeader cid = (CallIdHeader) req.getHeader(CallIdHeader.NAME);
    CallLeg leg = cid == null ? null : bySipCallId.get(cid.getCallId());
    String toTag = ((ToHeader) req.getHeader(ToHeader.NAME)).getTag();
    switch (method) {
      case Request.INVITE:
        if (toTag == null && leg == null) {
          onNewInvite(event);
        } else if (leg != null && toTag != null) {
          ServerTransaction st = serverTransaction(event);
          if (st != null) leg.onModify(st, req);
        } else if (leg == null) {
          strayRequests.incrementAndGet();
          stateless(req, 481);
        }
        // a retransmitted initial INVITE of a known call: the stack's server transaction absorbs it
        break;
      case Request.ACK:
        if (leg != null) leg.onAck(req);
        break;
      case Request.BYE:
        if (leg == null) {
          strayRequests.incrementAndGet();
          respond(event, 481);
        } else {
          ServerTransaction st = serverTransaction(event);
          leg.onBye(st, req);
        }
        break;
      case Request.CANCEL:
        if (leg == null || leg.outbound) {
          strayRequests.incrementAndGet();
          respond(event, 481);
        } else {
          leg.onCancel(serverTransaction(event), req);
        }
        break;
      case Request.UPDATE:
        if (leg == null) {
          strayRequests.incrementAndGet();
          respond(event, 481);
        } else {
          ServerTransaction st = serverTransaction(event);
          if (st != null) leg.onModify(st, req);
        }
        break;
      case Request.OPTIONS:
        respondOptions(event);
        break;
      case Request.INFO:
        respond(event, leg == null ? 481 : 200);
        break;
      case Request.PRACK:
        respond(event, 481);
        break;
      case Request.REGISTER:
      case Request.SUBSCRIBE:
      case Request.NOTIFY:
      case Request.MESSAGE:
      case Request.REFER:
      case Request.PUBLISH:
        respond(event, 405);
        break;
      default:
        respond(event, 501);
        break;
    }
  }

  private void onNewInvite(RequestEvent event) {
    Request req = event.getRequest();
    if (closed) {
      stateless(req, 503);
      return;
    }
    if (policy == null) {
      rejectedInvites.incrementAndGet();
      stateless(req, 603);
      return;
    }
    InboundDecision decision;
    try {
      decision = Objects.requireNonNull(policy.decide(describe(event)), "the inbound policy returned null");
    } catch (RuntimeException e) {
      log.warn("inbound policy failed on an INVITE from {}: rejecting with 500", req.getHeader(FromHeader.NAME), e);
      rejectedInvites.incrementAndGet();
      stateless(req, 500);
      return;
    }
    if (!decision.isAccepted()) {
      rejectedInvites.incrementAndGet();
      stateless(req, decision.rejectCode());
      return;
    }
    CallLeg leg = CallLeg.inbound(decision.callId(), decision.listener(), this);
    if (calls.putIfAbsent(decision.callId(), leg) != null) {
      log.warn("inbound policy accepted call {} twice: rejecting the second INVITE with 486", decision.callId());
      stateless(req, 486);
      return;
    }
    ServerTransaction st = serverTransaction(event);
    if (st == null) {
      calls.remove(decision.callId(), leg);
      return;
    }
    log.info("call {}: inbound INVITE from {} accepted", decision.callId(),
        ((FromHeader) req.getHeader(FromHeader.NAME)).getAddress().getURI());
    leg.accept(st, req, decision.ringFor());
  }

  private InboundInvite describe(RequestEvent event) {
    Request req = event.getRequest();
    FromHeader from = (FromHeader) req.getHeader(FromHeader.NAME);
    ToHeader to = (ToHeader) req.getHeader(ToHeader.NAME);
    URI ruri = req.getRequestURI();
    String requestUser = ruri instanceof SipURI && ((SipURI) ruri).getUser() != null ? ((SipURI) ruri).getUser() : "";
    URI fromUri = from.getAddress().getURI();
    String fromUser = fromUri instanceof SipURI && ((SipURI) fromUri).getUser() != null
        ? ((SipURI) fromUri).getUser() : "";
    Map<String, String> headers = new HashMap<>();
    ListIterator<String> names = req.getHeaderNames();
    while (names.hasNext()) {
      String name = names.next().toLowerCase(Locale.ROOT);
      if (name.equals("authorization") || name.equals("proxy-authorization")) continue;
      if (headers.containsKey(name)) continue;
      String v = SipEndpoint.value(req, name);
      if (v != null) headers.put(name, v);
    }
    ViaHeader via = (ViaHeader) req.getHeader(ViaHeader.NAME);
    String host = via.getReceived() != null ? via.getReceived() : via.getHost();
    int port = via.getRPort() > 0 ? via.getRPort() : (via.getPort() > 0 ? via.getPort() : 5060);
    InetSocketAddress source = InetSocketAddress.createUnresolved(host, port);
    return new InboundInvite(((CallIdHeader) req.getHeader(CallIdHeader.NAME)).getCallId(),
        fromUri.toString(), fromUser, to.getAddress().getURI().toString(), requestUser, source, headers);
  }

  private ServerTransaction serverTransaction(RequestEvent event) {
    ServerTransaction st = event.getServerTransaction();
    if (st != null) return st;
    try {
      return endpoint.provider.getNewServerTransaction(event.getRequest());
    } catch (TransactionAlreadyExistsException e) {
      return null; // a retransmission racing its original: the existing transaction answers it
    } catch (javax.sip.SipException e) {
      log.debug("no server transaction for {}", event.getRequest().getMethod(), e);
      return null;
    }
  }

  private void respondOptions(RequestEvent event) {
    Request req = event.getRequest();
    try {
      Response r = endpoint.response(Response.OK, req);
      endpoint.addAllow(r);
      r.addHeader(endpoint.headers.createHeader("Accept", "application/sdp"));
      r.addHeader(endpoint.headers.createHeader("Supported", "timer"));
      send(event, r);
    } catch (Exception e) {
      log.debug("OPTIONS answer failed", e);
    }
  }

  /** Answers through the request's transaction when the stack made one, statelessly otherwise. */
  private void respond(RequestEvent event, int code) {
    try {
      Response r = endpoint.response(code, event.getRequest());
      if (code == 405) endpoint.addAllow(r);
      send(event, r);
    } catch (Exception e) {
      log.debug("{} to {} failed", code, event.getRequest().getMethod(), e);
    }
  }

  private void send(RequestEvent event, Response r) throws Exception {
    ToHeader to = (ToHeader) r.getHeader(ToHeader.NAME);
    if (to.getTag() == null && r.getStatusCode() >= 200) to.setTag(Tags.newTag());
    ServerTransaction st = event.getServerTransaction();
    if (st != null) {
      st.sendResponse(r);
    } else {
      endpoint.provider.sendResponse(r);
    }
  }

  private void stateless(Request req, int code) {
    try {
      Response r = endpoint.response(code, req);
      ToHeader to = (ToHeader) r.getHeader(ToHeader.NAME);
      if (to.getTag() == null) to.setTag(Tags.newTag());
      endpoint.provider.sendResponse(r);
    } catch (Exception e) {
      log.debug("stateless {} to {} failed", code, req.getMethod(), e);
    }
  }

  // ------------------------------------------------------------------ the stack's events

  /** jain-sip's listener: hands every event to {@code sip-control} and returns at once. */
  private final class Dispatcher implements SipListener {
    @Override public void processRequest(RequestEvent event) {
      submit(() -> {
        try {
          onRequest(event);
        } catch (RuntimeException e) {
          log.warn("failed to handle {}", event.getRequest().getMethod(), e);
        }
      });
    }

    @Override public void processResponse(ResponseEvent event) {
      submit(() -> {
        try {
          ClientTransaction tx = event.getClientTransaction();
          Object handler = tx == null ? null : tx.getApplicationData();
          if (handler instanceof TxHandler) {
            ((TxHandler) handler).response(event);
          } else {
            onStrayResponse(event);
          }
        } catch (RuntimeException e) {
          log.warn("failed to handle a {} response", event.getResponse().getStatusCode(), e);
        }
      });
    }

    @Override public void processTimeout(TimeoutEvent event) {
      submit(() -> {
        if (event.isServerTransaction()) return;
        ClientTransaction tx = event.getClientTransaction();
        Object handler = tx == null ? null : tx.getApplicationData();
        if (handler instanceof TxHandler) ((TxHandler) handler).timeout();
      });
    }

    @Override public void processIOException(IOExceptionEvent event) {
      log.warn("SIP transport error toward {}:{}/{}", event.getHost(), event.getPort(), event.getTransport());
    }

    @Override public void processTransactionTerminated(TransactionTerminatedEvent event) {}

    @Override public void processDialogTerminated(DialogTerminatedEvent event) {
      Dialog d = event.getDialog();
      submit(() -> {
        CallIdHeader cid = d.getCallId();
        CallLeg leg = cid == null ? null : bySipCallId.get(cid.getCallId());
        if (leg != null) leg.onDialogTerminated(d);
      });
    }
  }

  /** A 2xx to an INVITE whose transaction is gone (a late fork, or a retransmission): the call decides. */
  private void onStrayResponse(ResponseEvent event) {
    Response r = event.getResponse();
    CallIdHeader cid = (CallIdHeader) r.getHeader(CallIdHeader.NAME);
    CallLeg leg = cid == null ? null : bySipCallId.get(cid.getCallId());
    log.debug("response {} without a transaction for call {}", r.getStatusCode(), leg);
    if (leg != null) leg.onStrayResponse(event);
  }
}
