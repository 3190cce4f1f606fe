package io.voiceagent.bench;

import io.voiceagent.core.audio.Resampler;
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

/** One 20 ms frame up from 8 kHz and one down to 8 kHz. Goal for 16 kHz: ≤ 5 µs each way, no allocation. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ResamplerBenchmark {
  @Param({"16000", "22050", "24000", "44100", "48000"})
  public int rateHz;

  private Resampler up;
  private Resampler down;
  private short[] in8k;
  private short[] inRate;
  private short[] out;

  @Setup public void setUp() {
    up = Resampler.create(8000, rateHz);
    down = Resampler.create(rateHz, 8000);
    Random r = new Random(2);
    in8k = new short[160];
    for (int i = 0; i < in8k.length; i++) in8k[i] = (short) (r.nextGaussian() * 4000);
    inRate = new short[rateHz / 50];
    for (int i = 0; i < inRate.length; i++) inRate[i] = (short) (r.nextGaussian() * 4000);
    out = new short[Math.max(up.maxOutputSamples(160), down.maxOutputSamples(inRate.length))];
  }

  @Benchmark public int upFrame() {
    return up.process(in8k, 0, 160, out, 0);
  }

  @Benchmark public int downFrame() {
    return down.process(inRate, 0, inRate.length, out, 0);
  }
}
