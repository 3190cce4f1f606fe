package io.voiceagent.bench;

import io.voiceagent.core.plc.G711Plc;
import io.voiceagent.core.vad.Vad;
import io.voiceagent.core.vad.VadConfig;
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

/**
 * Concealment and voice activity per frame. PLC: a good 10 ms frame, and a burst cycle (5 good, 3 lost: the
 * pitch search runs once per burst). VAD: a 20 ms frame at 8 kHz and a 10 ms one at 16 kHz. Goal: VAD < 0.1 ms,
 * no allocation.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PlcVadBenchmark {
  private final G711Plc plc = new G711Plc();
  private final short[] speech = new short[8000];
  private final short[] frame = new short[160];
  private final Vad vad8 = new Vad(VadConfig.DEFAULT);
  private final Vad vad16 = new Vad(VadConfig.defaults(16000, 10));
  private int k;

  @Setup public void setUp() {
    Random r = new Random(4);
    for (int i = 0; i < speech.length; i++) {
      double env = 0.5 + 0.5 * Math.sin(2 * Math.PI * 4 * i / 8000.0); // syllables
      speech[i] = (short) (env * (5000 * Math.sin(2 * Math.PI * 140 * i / 8000.0) + r.nextGaussian() * 500));
    }
  }

  @Benchmark public short[] plcGoodFrame() {
    int off = (k++ % 99) * 80;
    System.arraycopy(speech, off, frame, 0, 80);
    plc.good(frame, 0);
    return frame;
  }

  /** Eight 10 ms frames: five good, then a 30 ms loss. */
  @Benchmark public short[] plcBurstCycleOf8Frames() {
    for (int j = 0; j < 8; j++) {
      int off = (k++ % 99) * 80;
      if (j < 5) {
        System.arraycopy(speech, off, frame, 0, 80);
        plc.good(frame, 0);
      } else {
        plc.conceal(frame, 0);
      }
    }
    return frame;
  }

  @Benchmark public boolean vad8kHz20ms() {
    return vad8.process(speech, (k++ % 49) * 160);
  }

  @Benchmark public boolean vad16kHz10ms() {
    return vad16.process(speech, (k++ % 49) * 160);
  }
}
