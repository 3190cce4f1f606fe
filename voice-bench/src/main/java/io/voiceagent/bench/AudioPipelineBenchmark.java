package io.voiceagent.bench;

import io.voiceagent.core.ai.AiAudioSink;
import io.voiceagent.core.audio.AudioFormat;
import io.voiceagent.core.audio.AudioPipeline;
import io.voiceagent.core.audio.AudioPipelines;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * A call's 20 ms of conversion both ways through {@code AudioPipelines.standard()}: callee frame to the AI's
 * format, 20 ms of agent audio in that format to the playout queue, one frame out to the callee. Goal: no
 * allocation.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class AudioPipelineBenchmark {
  @Param({"ulaw_8000", "pcm_8000", "pcm_16000", "pcm_22050", "pcm_24000", "pcm_44100", "pcm_48000"})
  public String format;

  private AudioPipeline pipeline;
  private final short[] callee = new short[160];
  private final short[] toCallee = new short[160];
  private byte[] agent;
  private AiAudioSink sink;
  private long event = 1;

  @Setup public void setUp(Blackhole bh) {
    AudioFormat f = AudioFormat.parse(format);
    pipeline = AudioPipelines.standard().create(f, f);
    for (int i = 0; i < 160; i++) callee[i] = (short) (3000 * Math.sin(i * 0.2));
    agent = new byte[f.bytesFor(20)];
    for (int i = 0; i < agent.length; i++) agent[i] = (byte) (i * 37);
    sink = (data, off, len) -> bh.consume(data[off]);
  }

  @Benchmark public boolean tick() {
    pipeline.fromCallee(callee, sink);
    pipeline.fromAgent(agent, 0, agent.length, event);
    return pipeline.toCallee(toCallee);
  }
}
