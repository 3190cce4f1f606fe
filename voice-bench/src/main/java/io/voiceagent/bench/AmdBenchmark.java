package io.voiceagent.bench;

import io.voiceagent.core.amd.AmdConfig;
import io.voiceagent.core.amd.AnsweringMachineDetector;
import io.voiceagent.core.amd.EnergyAnsweringMachineDetector;
import io.voiceagent.core.call.CallId;
import io.voiceagent.core.testing.AmdClips;
import java.util.List;
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
 * CPU per 20 ms frame of the answering-machine detector (one call). {@code labelledSet}: the frames of every
 * clip of the labelled set in turn, a fresh detection per clip, as calls would bring them (speech, pauses,
 * noise, beeps; analysis, then the greeting watch after a machine verdict). {@code steadyTone}: the costliest
 * frame, a loud steady tone (energy, zero crossings and a Goertzel pass on every frame).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class AmdBenchmark {
  private final EnergyAnsweringMachineDetector detector = new EnergyAnsweringMachineDetector(AmdConfig.DEFAULT);
  private short[][] frames;      // every frame of the set, clip after clip
  private boolean[] clipStarts;  // a new call begins at this frame
  private int next;
  private long now;
  private AnsweringMachineDetector.Detection detection;
  private AnsweringMachineDetector.Detection toneDetection;
  private final short[] tone = new short[AmdClips.FRAME];
  private long toneNow;

  @Setup public void setUp() {
    List<AmdClips.Clip> clips = AmdClips.load();
    int total = 0;
    for (AmdClips.Clip c : clips) total += c.pcm().length / AmdClips.FRAME;
    frames = new short[total][];
    clipStarts = new boolean[total];
    int k = 0;
    for (AmdClips.Clip c : clips) {
      clipStarts[k] = true;
      for (int f = 0; f < c.pcm().length / AmdClips.FRAME; f++) {
        frames[k] = new short[AmdClips.FRAME];
        System.arraycopy(c.pcm(), f * AmdClips.FRAME, frames[k], 0, AmdClips.FRAME);
        k++;
      }
    }
    for (int i = 0; i < tone.length; i++) tone[i] = (short) (8000 * Math.sin(2 * Math.PI * 1000 * i / 8000.0));
    // past the speech that makes it a machine, the tone detection goes on watching for the greeting's end
    toneDetection = new EnergyAnsweringMachineDetector(new AmdConfig(2500, 1500, 800, 5000, 100, 50, 3, 5000, 256, 2,
        1000, 600_000)).start(CallId.of("tone"), 0, v -> { });
  }

  @Benchmark public int labelledSet() {
    int k = next;
    if (clipStarts[k] || detection == null) {
      if (detection != null) detection.cancel();
      detection = detector.start(CallId.of("bench"), now, v -> { });
    }
    now += 20_000_000L;
    detection.observe(frames[k], now);
    next = k + 1 == frames.length ? 0 : k + 1;
    return k;
  }

  @Benchmark public long steadyTone() {
    toneNow += 20_000_000L;
    toneDetection.observe(tone, toneNow);
    return toneNow;
  }
}
