package io.voiceagent.bench;

import io.voiceagent.core.audio.G711;
import io.voiceagent.core.jitter.JitterBuffer;
import io.voiceagent.core.jitter.JitterConfig;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One 20 ms tick of a call's inbound audio: offer the packet that arrived, poll a frame (decode, concealment,
 * delay statistics). {@code lossPercent} > 0 drops packets at random and adds 0–60 ms jitter, so concealment,
 * time-scaling and target updates run too. Goal: no allocation.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class JitterBufferBenchmark {
  private static final long MS = 1_000_000L;

  @Param({"0", "5"})
  public int lossPercent;

  private JitterBuffer jb;
  private final byte[][] payloads = new byte[64][160];
  private final short[] out = new short[160];
  private final long[] jitterNanos = new long[4096];
  private final boolean[] lost = new boolean[4096];
  private long n;

  @Setup public void setUp() {
    jb = new JitterBuffer(JitterConfig.DEFAULT, G711.Law.ALAW);
    Random r = new Random(3);
    for (byte[] p : payloads) {
      for (int i = 0; i < p.length; i++) {
        p[i] = G711.linearToAlaw((int) (3000 * Math.sin(i * 0.3) + r.nextGaussian() * 300));
      }
    }
    for (int i = 0; i < jitterNanos.length; i++) {
      jitterNanos[i] = lossPercent == 0 ? 0 : (long) (r.nextDouble() * 60 * MS);
      lost[i] = r.nextInt(100) < lossPercent;
    }
  }

  @Benchmark public boolean tick() {
    long k = n++;
    int i = (int) (k & 4095);
    long now = k * 20 * MS;
    if (!lost[i]) {
      // arrives up to 60 ms late: offered at the first tick after its arrival, in order of sending
      jb.offer((int) (k & 0xFFFF), (k * 160) & 0xFFFFFFFFL, 1, false, payloads[i & 63], 0, 160,
          now - 60 * MS + jitterNanos[i]);
    }
    return jb.poll(now, out);
  }
}
