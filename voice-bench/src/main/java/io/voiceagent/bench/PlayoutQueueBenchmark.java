package io.voiceagent.bench;

import io.voiceagent.core.audio.PlayoutQueue;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** One 20 ms frame through the agent playout queue: offer then poll. Steady state must not allocate. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PlayoutQueueBenchmark {
  private PlayoutQueue queue;
  private final short[] in = new short[160];
  private final short[] out = new short[160];
  private long event;

  @Setup public void setUp() {
    queue = new PlayoutQueue(60_000);
  }

  @Benchmark public boolean offerThenPoll() {
    queue.offer(in, 0, ++event);
    return queue.poll(out);
  }
}
