package io.voiceagent.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A real session (real sockets) on a pacer driven in virtual time. */
class RtpVirtualTimeTest {
  private static final long SECOND = 1_000_000_000L;
  private DefaultRtpEngine engine;
  private TestPeer peer;

  @AfterEach void close() {
    if (peer != null) peer.close();
    if (engine != null) {
      engine.close();
      assertEquals(0, engine.portsInUse());
    }
  }

  @Test void givenOneHourOfVirtualTime_whenSessionSends_thenExactly180000PacketsLeave() {
    VirtualClock clock = new VirtualClock(3);
    engine = DefaultRtpEngine.create(EngineFixture.config(4), clock, Clock.systemUTC(), false);
    peer = new TestPeer();
    RtpSession session = engine.open(RtpSession.Listener.NONE);
    session.start(peer.address(), RtpCodec.PCMU, -1);
    clock.runUntil(engine.pacer(), clock.nanoTime() + 3600 * SECOND);
    RtpSessionStats s = session.detailedStats();
    long sent = s.media().packetsSent() + s.sendErrors(); // a full socket buffer is counted, not hidden
    assertEquals(180_000, sent, 1, "packets in one hour");
    assertEquals(160L * sent, s.octetsSent() + 160L * s.sendErrors());
    assertTrue(s.rtcpSent() >= 3600 / 7 && s.rtcpSent() <= 3600 / 2, "RTCP every 2–6 s: " + s.rtcpSent());
  }

  @Test void givenSteadyState_whenTicking_thenThePacerAllocatesNothingPerPacket() {
    VirtualClock clock = new VirtualClock(11);
    RtpConfig base = EngineFixture.config(4);
    RtpConfig noTimeout = new RtpConfig(base.bindAddress(), base.portMin(), base.portMax(), java.time.Duration.ZERO);
    engine = DefaultRtpEngine.create(noTimeout, clock, Clock.systemUTC(), false);
    peer = new TestPeer();
    io.voiceagent.core.telephony.MediaHandler handler = new io.voiceagent.core.telephony.MediaHandler() {
      @Override public void calleeAudio(short[] pcm, long nowNanos) {} // keep nothing
      @Override public boolean agentAudio(short[] out) {
        out[0]++;
        return true;
      }
    };
    RtpSession session = engine.open(RtpSession.Listener.NONE);
    session.attach(handler);
    session.start(peer.address(), RtpCodec.PCMA, 101);
    session.sendDtmf("123");
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    long[] allocated = new long[2];
    long t0 = clock.nanoTime();
    clock.at(t0 + 120 * SECOND, () -> allocated[0] = threads.getThreadAllocatedBytes(Thread.currentThread().getId()));
    clock.at(t0 + 720 * SECOND, () -> allocated[1] = threads.getThreadAllocatedBytes(Thread.currentThread().getId()));
    clock.runUntil(engine.pacer(), t0 + 721 * SECOND);
    long bytes = allocated[1] - allocated[0];
    // encode, send, RTCP every few seconds, jitter-buffer poll: 30,000 ticks after two minutes of warm-up;
    // a single allocating call per tick would be 30,000 × ≥ 16 bytes
    assertTrue(bytes < 16_384, "the pacer allocated " + bytes + " bytes in 30,000 ticks");
  }

  @Test void givenHold_whenNoRtpForMinutes_thenMediaTimeoutWaitsForResumeThenFiresOnce() {
    VirtualClock clock = new VirtualClock(5);
    engine = DefaultRtpEngine.create(EngineFixture.config(4), clock, Clock.systemUTC(), false);
    peer = new TestPeer();
    List<Long> firedAt = new ArrayList<>();
    RtpSession session = engine.open(new RtpSession.Listener() {
      @Override public void mediaTimeout() {
        firedAt.add(clock.nanoTime());
      }
    });
    long t0 = clock.nanoTime();
    session.start(peer.address(), RtpCodec.PCMU, -1);
    session.setDirection(MediaDirection.SENDONLY);
    clock.at(t0 + 60 * SECOND, () -> session.setDirection(MediaDirection.INACTIVE));
    clock.at(t0 + 120 * SECOND, () -> session.setDirection(MediaDirection.SENDRECV));
    clock.runUntil(engine.pacer(), t0 + 600 * SECOND);
    assertEquals(1, firedAt.size(), "fired once, not again while still silent");
    long after = firedAt.get(0) - (t0 + 120 * SECOND);
    assertTrue(after >= 30 * SECOND && after < 30 * SECOND + 200_000_000L,
        "fired " + after / 1e9 + " s after the call resumed, expected MEDIA_TIMEOUT_S = 30");
  }

  @Test void givenNoRtpAtAll_whenCallIsActive_thenMediaTimeoutFiresAfterThirtySeconds() {
    VirtualClock clock = new VirtualClock(9);
    engine = DefaultRtpEngine.create(EngineFixture.config(4), clock, Clock.systemUTC(), false);
    peer = new TestPeer();
    List<Long> firedAt = new ArrayList<>();
    RtpSession session = engine.open(new RtpSession.Listener() {
      @Override public void mediaTimeout() {
        firedAt.add(clock.nanoTime());
      }
    });
    long t0 = clock.nanoTime();
    session.start(peer.address(), RtpCodec.PCMU, -1);
    clock.runUntil(engine.pacer(), t0 + 100 * SECOND);
    assertEquals(1, firedAt.size());
    long after = firedAt.get(0) - t0;
    assertTrue(after >= 30 * SECOND && after < 30 * SECOND + 200_000_000L, "fired after " + after / 1e9 + " s");
  }

}
