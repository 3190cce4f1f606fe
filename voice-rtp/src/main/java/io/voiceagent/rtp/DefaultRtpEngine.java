package io.voiceagent.rtp;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine: the port pool, {@code rtp-io} threads and the {@code media-pacer} thread shared by every
 * session. State: {@code RUNNING} from construction to {@link #close}, then {@code CLOSED}.
 */
final class DefaultRtpEngine implements RtpEngine {
  private static final Logger log = LoggerFactory.getLogger(DefaultRtpEngine.class);

  private enum State { RUNNING, CLOSED }

  private final RtpConfig config;
  private final PacerClock clock;
  private final RtpPortPool ports;
  private final MediaPacer pacer;
  private final Thread pacerThread; // null when a test drives the pacer itself
  private final RtpIoLoop[] io;
  private final Thread[] ioThreads;
  private final SecureRandom random = new SecureRandom();
  private final long wallBaseUnixNanos;
  private final long monoBaseNanos;
  private final Set<DefaultRtpSession> sessions = ConcurrentHashMap.newKeySet();
  private final AtomicInteger nextIo = new AtomicInteger();
  private volatile State state = State.RUNNING;

  static DefaultRtpEngine start(RtpConfig config) {
    return create(config, PacerClock.system(config.pacerSpin().toNanos()), Clock.systemUTC(), true);
  }

  /**
   * @param wall             wall-clock time for RTCP's NTP timestamps, read once: afterwards the engine
   *                         derives it from the monotonic {@code clock}
   * @param startPacerThread false when a test runs {@link #pacer()} on its own thread, in virtual time
   */
  static DefaultRtpEngine create(RtpConfig config, PacerClock clock, Clock wall, boolean startPacerThread) {
    return new DefaultRtpEngine(config, clock, wall, startPacerThread);
  }

  private DefaultRtpEngine(RtpConfig config, PacerClock clock, Clock wall, boolean startPacerThread) {
    this.config = Objects.requireNonNull(config, "config");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.monoBaseNanos = clock.nanoTime();
    Instant now = wall.instant();
    this.wallBaseUnixNanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
    this.ports = new RtpPortPool(config.bindAddress(), config.portMin(), config.portMax());
    this.pacer = new MediaPacer(clock);
    this.io = new RtpIoLoop[config.ioThreads()];
    this.ioThreads = new Thread[io.length];
    for (int i = 0; i < io.length; i++) {
      io[i] = new RtpIoLoop("rtp-io-" + i, clock, ports);
      ioThreads[i] = new Thread(io[i], "rtp-io-" + i);
      ioThreads[i].setDaemon(true);
      ioThreads[i].start();
    }
    if (startPacerThread) {
      pacerThread = new Thread(pacer, "media-pacer");
      pacerThread.setDaemon(true);
      pacerThread.setPriority(Thread.MAX_PRIORITY);
      pacerThread.start();
    } else {
      pacerThread = null;
    }
    log.info("RTP engine started: ports {}..{} ({} pairs) on {}, {} rtp-io thread(s), pacer on {}, media timeout {} s, "
            + "learning window {} ms{}", config.portMin(), config.portMax(), ports.capacity(),
        config.bindAddress().getHostAddress(), io.length, clock, config.mediaTimeout().toSeconds(),
        config.learningWindow().toMillis(), config.strictLatching() ? ", strict latching" : "");
  }

  @Override public RtpSession open(RtpSession.Listener listener) {
    Objects.requireNonNull(listener, "listener");
    if (state != State.RUNNING) throw new IllegalStateException("the RTP engine is closed");
    RtpPortPool.Lease lease = ports.acquire();
    DefaultRtpSession session;
    try {
      RtpIoLoop loop = io[Math.floorMod(nextIo.getAndIncrement(), io.length)];
      long ssrc = random.nextInt() & 0xFFFF_FFFFL;
      int seq = random.nextInt(1 << 16);
      int ts = random.nextInt();
      byte[] id = new byte[12];
      random.nextBytes(id);
      // RFC 7022: a random CNAME per session, so nothing about the host leaks into RTCP
      String cname = HexFormat.of().formatHex(id);
      session = new DefaultRtpSession(this, loop, lease, listener, config, ssrc, seq, ts, cname);
      sessions.add(session);
      loop.register(session);
      pacer.add(session);
    } catch (RuntimeException | Error e) {
      RtpPortPool.closeQuietly(lease.rtp());
      RtpPortPool.closeQuietly(lease.rtcp());
      ports.release(lease.port());
      throw e;
    }
    log.info("RTP session opened on :{} (RTCP :{}), SSRC {}", lease.port(), lease.port() + 1,
        Long.toHexString(session.ssrc()));
    return session;
  }

  @Override public void close() {
    if (state == State.CLOSED) return;
    synchronized (this) {
      if (state == State.CLOSED) return;
      state = State.CLOSED;
    }
    List<DefaultRtpSession> open = new ArrayList<>(sessions);
    for (DefaultRtpSession s : open) {
      try {
        s.close();
      } catch (RuntimeException e) {
        log.warn("closing {} failed", s, e);
      }
    }
    pacer.stop();
    for (RtpIoLoop loop : io) loop.stop();
    join(pacerThread);
    for (Thread t : ioThreads) join(t);
    log.info("RTP engine closed ({} sessions were open)", open.size());
  }

  private static void join(Thread t) {
    if (t == null || t == Thread.currentThread()) return;
    try {
      t.join(5_000);
      if (t.isAlive()) log.warn("{} did not stop within 5 s", t.getName());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override public PacerStats pacerStats() {
    return pacer.stats();
  }

  @Override public void resetPacerStats() {
    pacer.resetStats();
  }

  @Override public int portsInUse() {
    return ports.leased();
  }

  @Override public int sessionCount() {
    return sessions.size();
  }

  void forget(DefaultRtpSession session) {
    sessions.remove(session);
  }

  PacerClock clock() {
    return clock;
  }

  MediaPacer pacer() {
    return pacer;
  }

  RtpPortPool ports() {
    return ports;
  }

  /** Wall-clock time (ns since 1970) of a monotonic instant of {@link #clock()}. */
  long unixNanos(long monoNanos) {
    return wallBaseUnixNanos + (monoNanos - monoBaseNanos);
  }

  @Override public String toString() {
    return "RtpEngine[" + state + ", " + sessions.size() + " sessions, " + ports + "]";
  }
}
