package io.voiceagent.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.voiceagent.core.telephony.MediaHandler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;

/** An engine on a random loopback port range, closed after each test with nothing left behind. */
abstract class EngineFixture {
  static final Duration WAIT = Duration.ofSeconds(10);

  final List<AutoCloseable> closeAfter = new ArrayList<>();
  RtpEngine engine;

  static RtpConfig config(int pairs) {
    int base = 20_000 + 2 * ThreadLocalRandom.current().nextInt(20_000);
    return new RtpConfig(TestPeer.LOOPBACK, base, base + 2 * pairs - 1, Duration.ofSeconds(30));
  }

  RtpEngine engine(RtpConfig config) {
    engine = RtpEngine.start(config);
    return engine;
  }

  <T extends AutoCloseable> T closeLater(T c) {
    closeAfter.add(c);
    return c;
  }

  @AfterEach void closeEngineAndCheckNothingLeaks() throws Exception {
    for (AutoCloseable c : closeAfter) c.close();
    if (engine != null) {
      engine.close();
      assertEquals(0, engine.portsInUse(), "RTP ports still leased after close");
      assertEquals(0, engine.sessionCount(), "sessions still open after close");
    }
    Await.until("engine threads to stop", WAIT, () -> Thread.getAllStackTraces().keySet().stream()
        .noneMatch(t -> t.isAlive() && (t.getName().startsWith("rtp-io") || t.getName().equals("media-pacer"))));
  }

  /** Records every callee frame and plays queued agent frames. */
  static final class RecordingHandler implements MediaHandler {
    final BlockingQueue<short[]> callee = new LinkedBlockingQueue<>();
    final BlockingQueue<short[]> agent = new LinkedBlockingQueue<>();

    @Override public void calleeAudio(short[] pcm, long nowNanos) {
      callee.add(pcm.clone());
    }

    @Override public boolean agentAudio(short[] out) {
      short[] f = agent.poll();
      if (f == null) return false;
      System.arraycopy(f, 0, out, 0, 160);
      return true;
    }

    short[] nextCallee() throws InterruptedException {
      short[] f = callee.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      if (f == null) throw new AssertionError("no callee frame within " + WAIT);
      return f;
    }
  }

  /** Records listener events. */
  static final class RecordingListener implements RtpSession.Listener {
    final BlockingQueue<Character> digits = new LinkedBlockingQueue<>();
    final BlockingQueue<Boolean> timeouts = new LinkedBlockingQueue<>();

    @Override public void dtmfReceived(char digit) {
      digits.add(digit);
    }

    @Override public void mediaTimeout() {
      timeouts.add(Boolean.TRUE);
    }
  }
}
