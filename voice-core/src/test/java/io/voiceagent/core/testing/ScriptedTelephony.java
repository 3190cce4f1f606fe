package io.voiceagent.core.testing;

import io.voiceagent.core.call.CallId;
import io.voiceagent.core.call.EndReason;
import io.voiceagent.core.call.TelephonyUnavailableException;
import io.voiceagent.core.telephony.DialRequest;
import io.voiceagent.core.telephony.MediaHandler;
import io.voiceagent.core.telephony.MediaStats;
import io.voiceagent.core.telephony.MediaStream;
import io.voiceagent.core.telephony.TelephonyEnd;
import io.voiceagent.core.telephony.TelephonyHealth;
import io.voiceagent.core.telephony.TelephonyListener;
import io.voiceagent.core.telephony.TelephonyPort;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * An in-memory {@link TelephonyPort} for tests: each dialled call gets a {@link Line} the test drives
 * (ring, 183, answer, busy, remote hang-up), or a {@link Behaviour} scripts it. Events are delivered on the
 * calling thread, as an adapter's own thread would. {@link #hangup} ends the line with {@code local_hangup}
 * (or, before answer, with 487 as a CANCEL would).
 */
public final class ScriptedTelephony implements TelephonyPort {
  /** What a dialled line does by itself. */
  public interface Behaviour {
    void onDial(Line line);

    /** Does nothing: the test drives the line. */
    Behaviour MANUAL = line -> {};
    /** Rings, then answers at once. */
    Behaviour ANSWER = line -> {
      line.ring();
      line.answer();
    };
    /** Rings, then 486. */
    Behaviour BUSY = line -> {
      line.ring();
      line.fail(486);
    };
  }

  private final Map<CallId, Line> lines = new ConcurrentHashMap<>();
  private final List<CallId> dialled = new CopyOnWriteArrayList<>();
  private final AtomicInteger hangups = new AtomicInteger();
  private volatile Function<DialRequest, Behaviour> behaviours = r -> Behaviour.MANUAL;
  private volatile TelephonyHealth health = TelephonyHealth.ready("scripted", "ready");
  private volatile boolean reportsRinging = true;
  private volatile RuntimeException failNext;
  private volatile RuntimeException failHangup;
  private volatile io.voiceagent.core.telephony.WebhookReceiver webhooks;

  public ScriptedTelephony behave(Behaviour b) {
    this.behaviours = r -> b;
    return this;
  }

  public ScriptedTelephony behave(Function<DialRequest, Behaviour> perCall) {
    this.behaviours = perCall;
    return this;
  }

  public ScriptedTelephony health(TelephonyHealth h) {
    this.health = h;
    return this;
  }

  public ScriptedTelephony reportsRinging(boolean r) {
    this.reportsRinging = r;
    return this;
  }

  /** Provider webhooks this telephony takes (as the Exolve HTTP adapter does). */
  public ScriptedTelephony webhooks(io.voiceagent.core.telephony.WebhookReceiver receiver) {
    this.webhooks = receiver;
    return this;
  }

  @Override public Optional<io.voiceagent.core.telephony.WebhookReceiver> webhooks() {
    return Optional.ofNullable(webhooks);
  }

  /** The next {@link #dial} throws {@code e}. */
  public ScriptedTelephony failNextDial(RuntimeException e) {
    this.failNext = e;
    return this;
  }

  /** Every {@link #hangup} throws {@code e} (after recording it). */
  public ScriptedTelephony failHangups(RuntimeException e) {
    this.failHangup = e;
    return this;
  }

  @Override public void dial(DialRequest request, TelephonyListener listener) {
    RuntimeException f = failNext;
    if (f != null) {
      failNext = null;
      throw f;
    }
    if (!health.ready()) throw new TelephonyUnavailableException("scripted telephony is down");
    Line line = new Line(request, listener);
    lines.put(request.callId(), line);
    dialled.add(request.callId());
    behaviours.apply(request).onDial(line);
  }

  @Override public void hangup(CallId callId) {
    hangups.incrementAndGet();
    Line line = lines.get(callId);
    if (line != null) line.hungUpLocally();
    RuntimeException f = failHangup;
    if (f != null) throw f;
  }

  @Override public void sendDtmf(CallId callId, String digits) {
    Line line = lines.get(callId);
    if (line != null) line.dtmfSent.append(digits);
  }

  @Override public TelephonyHealth health() {
    return health;
  }

  @Override public Optional<MediaStats> mediaStats(CallId callId) {
    Line line = lines.get(callId);
    return line == null ? Optional.empty()
        : Optional.of(new MediaStats("PCMU", "127.0.0.1:40000", line.media.ticks, line.media.ticks, 0, 0.0, 0, 0));
  }

  @Override public boolean reportsRinging() {
    return reportsRinging;
  }

  @Override public void close() {
    lines.values().forEach(l -> l.end(new TelephonyEnd(EndReason.LOCAL_HANGUP, null, "closed")));
  }

  public Line line(CallId id) {
    Line l = lines.get(id);
    if (l == null) throw new AssertionError("call " + id + " was never dialled");
    return l;
  }

  public List<CallId> dialled() {
    return List.copyOf(dialled);
  }

  public int hangupRequests() {
    return hangups.get();
  }

  /** One dialled call, driven by the test. */
  public static final class Line {
    private final DialRequest request;
    private final TelephonyListener listener;
    private final AtomicInteger endings = new AtomicInteger();
    private volatile boolean answered;
    final StringBuilder dtmfSent = new StringBuilder();
    public final FakeMedia media = new FakeMedia();

    Line(DialRequest request, TelephonyListener listener) {
      this.request = request;
      this.listener = listener;
    }

    public DialRequest request() {
      return request;
    }

    public void ring() {
      listener.ringing();
    }

    public void earlyMedia() {
      listener.earlyMedia();
    }

    public FakeMedia answer() {
      answered = true;
      listener.answered(media);
      return media;
    }

    public void fail(int sipCode) {
      end(TelephonyEnd.fromSipFailure(sipCode, null));
    }

    public void hangUpRemotely() {
      end(new TelephonyEnd(EndReason.REMOTE_HANGUP, null, null));
    }

    public void dtmf(char digit) {
      listener.dtmfReceived(digit);
    }

    private final AtomicInteger localHangups = new AtomicInteger();

    /** How often the core asked to hang this line up: at most once. */
    public int localHangups() {
      return localHangups.get();
    }

    void hungUpLocally() {
      localHangups.incrementAndGet();
      end(answered ? new TelephonyEnd(EndReason.LOCAL_HANGUP, null, null) : TelephonyEnd.fromSipFailure(487, "Request Terminated"));
    }

    private void end(TelephonyEnd e) {
      if (endings.getAndIncrement() == 0) listener.ended(e);
    }

    public synchronized String dtmfSent() {
      return dtmfSent.toString();
    }

    /** Times {@code ended} was reported: must be exactly one for every line. */
    public int endings() {
      return endings.get();
    }
  }

  /**
   * A call's media as the core sees it. {@link #tick} plays the pacer: one callee frame in, one agent frame
   * out.
   */
  public static final class FakeMedia implements MediaStream {
    private volatile MediaHandler handler;
    volatile long ticks;
    private final AtomicInteger attaches = new AtomicInteger();

    @Override public void attach(MediaHandler h) {
      attaches.incrementAndGet();
      this.handler = h;
    }

    public boolean attached() {
      return handler != null;
    }

    /**
     * One 20 ms tick: hands {@code callee} (160 samples) to the core and returns the agent's frame, or null
     * for silence.
     */
    public short[] tick(short[] callee, long nowNanos) {
      MediaHandler h = handler;
      ticks++;
      if (h == null) return null;
      h.calleeAudio(callee, nowNanos);
      short[] out = new short[160];
      return h.agentAudio(out) ? out : null;
    }

    public short[] tick(short[] callee) {
      return tick(callee, System.nanoTime());
    }
  }

  /** A frame of 160 samples all equal to {@code value}: easy to recognise after a trip through the core. */
  public static short[] frame(int value) {
    short[] f = new short[160];
    java.util.Arrays.fill(f, (short) value);
    return f;
  }

  /** Time for the tests' waits on a loaded machine. */
  public static final Duration WAIT = Duration.ofSeconds(10);
}
