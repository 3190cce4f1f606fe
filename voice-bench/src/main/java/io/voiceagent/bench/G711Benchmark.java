package io.voiceagent.bench;

import io.voiceagent.core.audio.G711;
import java.util.Random;
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

/** One 20 ms frame (160 samples) through the G.711 tables. Goal: encode ≤ 100 ns, no allocation. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class G711Benchmark {
  private final short[] pcm = new short[160];
  private final byte[] codes = new byte[160];
  private final short[] decoded = new short[160];

  @Setup public void setUp() {
    Random r = new Random(1);
    for (int i = 0; i < pcm.length; i++) pcm[i] = (short) (r.nextGaussian() * 4000);
    G711.encode(G711.Law.ALAW, pcm, 0, codes, 0, 160);
  }

  @Benchmark public byte[] encodeUlawFrame() {
    G711.encode(G711.Law.ULAW, pcm, 0, codes, 0, 160);
    return codes;
  }

  @Benchmark public byte[] encodeAlawFrame() {
    G711.encode(G711.Law.ALAW, pcm, 0, codes, 0, 160);
    return codes;
  }

  @Benchmark public short[] decodeAlawFrame() {
    G711.decode(G711.Law.ALAW, codes, 0, decoded, 0, 160);
    return decoded;
  }

  @Benchmark public int transcodeAlawToUlawFrame() {
    int acc = 0;
    for (int i = 0; i < 160; i++) acc += G711.alawToUlaw(codes[i]);
    return acc;
  }
}
