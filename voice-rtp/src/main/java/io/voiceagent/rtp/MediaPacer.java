package io.voiceagent.rtp;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one {@code media-pacer} thread that ticks every session's 20 ms frame on absolute deadlines
 * (media.md §9): frame {@code n} of a session is due at {@code t0 + n·20 ms + phase·1 ms}. Never a
 * {@code sleep(20)} loop, so nothing drifts: a late tick does not move the next deadline.
 *
 * <p>Sessions are spread over {@link #PHASES} phases 1 ms apart, so a thousand calls are not all encoded
 * and sent in one burst at the top of each frame: the work per wake-up stays small and every session is
 * sent at the same offset each frame, which is what keeps its send-gap error low.
 *
 * <p>Falling behind by up to {@link #MAX_CATCH_UP_NANOS} the pacer catches up, ticking the missed frames
 * back to back (the receiver's jitter buffer absorbs the burst; no packet is lost). Further behind (a long
 * stall) it skips ahead to now: the missed frames are not sent, the sessions' timestamps still follow the
 * clock, and their next packet carries M = 1.
 *
 * <p>Threads: {@link #add} and {@link #remove} from any thread (a queue the pacer applies before each tick);
 * everything else on the pacer thread.
 */
final class MediaPacer implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(MediaPacer.class);

  static final long FRAME_NANOS = 20_000_000L;
  static final int PHASES = 20;
  static final long PHASE_NANOS = FRAME_NANOS / PHASES;
  static final long MAX_CATCH_UP_NANOS = 100_000_000L;

  /** One session's place on the pacer. */
  interface Member {
    /**
     * Does frame {@code frame} of this session: receive, handler, send. Called on the pacer thread once per
     * frame, frames in increasing order (gaps after a skip).
     */
    void tick(long frame, long deadlineNanos, Context ctx);
  }

  /** Per-pacer scratch buffers and measurements that every member's tick may use. */
  static final class Context {
    final PacerClock clock;
    final short[] calleePcm = new short[160];
    final short[] agentPcm = new short[160];
    final byte[] packet = new byte[RtpHeader.HEADER_BYTES + RxRing.MAX_PAYLOAD];
    final byte[] rtcp = new byte[512];
    final java.nio.ByteBuffer packetBuffer = java.nio.ByteBuffer.wrap(packet);
    final java.nio.ByteBuffer rtcpBuffer = java.nio.ByteBuffer.wrap(rtcp);
    final MicrosHistogram sendGapError = new MicrosHistogram();
    final MicrosHistogram tickLateness = new MicrosHistogram();

    Context(PacerClock clock) {
      this.clock = clock;
    }
  }

  private final PacerClock clock;
  private final Context ctx;
  private final ConcurrentLinkedQueue<Runnable> changes = new ConcurrentLinkedQueue<>();
  @SuppressWarnings({"unchecked", "rawtypes"})
  private final List<Member>[] phases = new List[PHASES]; // pacer thread only
  private int members;                                    // pacer thread only
  private volatile boolean running = true;
  private volatile boolean resetStats;
  private volatile Thread thread;
  private volatile long frames;
  private volatile long skippedTicks;

  MediaPacer(PacerClock clock) {
    this.clock = clock;
    this.ctx = new Context(clock);
    for (int i = 0; i < PHASES; i++) phases[i] = new ArrayList<>();
  }

  /** Starts ticking {@code member} from its next frame. */
  void add(Member member) {
    changes.add(() -> {
      int best = 0;
      for (int i = 1; i < PHASES; i++) if (phases[i].size() < phases[best].size()) best = i;
      phases[best].add(member);
      members++;
    });
    wake();
  }

  /** Stops ticking {@code member} (a tick under way finishes). */
  void remove(Member member) {
    changes.add(() -> {
      for (List<Member> phase : phases) {
        if (phase.remove(member)) {
          members--;
          return;
        }
      }
    });
    wake();
  }

  void stop() {
    running = false;
    wake();
  }

  void resetStats() {
    resetStats = true;
  }

  PacerStats stats() {
    return new PacerStats(frames, ctx.sendGapError.count(), ctx.sendGapError.percentileMicros(0.50),
        ctx.sendGapError.percentileMicros(0.99), ctx.sendGapError.maxMicros(), ctx.tickLateness.percentileMicros(0.99),
        ctx.tickLateness.maxMicros(), skippedTicks);
  }

  private void wake() {
    Thread t = thread;
    if (t != null) LockSupport.unpark(t);
  }

  @Override public void run() {
    thread = Thread.currentThread();
    final long t0 = clock.nanoTime();
    long sub = 0; // phase ticks since t0
    while (running) {
      applyChanges();
      if (resetStats) {
        resetStats = false;
        ctx.sendGapError.reset();
        ctx.tickLateness.reset();
        frames = 0;
        skippedTicks = 0;
      }
      if (members == 0) {
        clock.parkUntil(clock.nanoTime() + FRAME_NANOS); // an add() unparks us
        sub = Math.floorDiv(clock.nanoTime() - t0, PHASE_NANOS) + 1;
        continue;
      }
      sub = nextBusy(sub);
      long deadline = t0 + sub * PHASE_NANOS;
      long now = clock.nanoTime();
      if (now - deadline < 0) {
        clock.parkUntil(deadline);
        continue;
      }
      long late = now - deadline;
      if (late > MAX_CATCH_UP_NANOS) {
        long behind = late / PHASE_NANOS;
        skippedTicks += behind;
        log.warn("media pacer fell {} ms behind: skipping ahead (streams jump their timestamps)", late / 1_000_000);
        sub += behind;
        continue;
      }
      ctx.tickLateness.record(late);
      List<Member> phase = phases[(int) (sub % PHASES)];
      long frame = sub / PHASES;
      for (int i = 0, n = phase.size(); i < n; i++) {
        try {
          phase.get(i).tick(frame, deadline, ctx);
        } catch (RuntimeException e) {
          log.error("media tick failed for {}; the session goes on", phase.get(i), e);
        }
      }
      frames += phase.size();
      sub++;
    }
    applyChanges();
  }

  private long nextBusy(long sub) {
    for (int i = 0; i < PHASES; i++) {
      if (!phases[(int) ((sub + i) % PHASES)].isEmpty()) return sub + i;
    }
    return sub;
  }

  private void applyChanges() {
    Runnable r;
    while ((r = changes.poll()) != null) r.run();
  }

  @Override public String toString() {
    return "MediaPacer[" + (running ? "running" : "stopped") + ", " + clock + "]";
  }
}
