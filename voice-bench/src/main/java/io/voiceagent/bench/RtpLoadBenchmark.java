package io.voiceagent.bench;

import com.sun.management.OperatingSystemMXBean;
import com.sun.management.ThreadMXBean;
import io.voiceagent.core.audio.AudioSink;
import io.voiceagent.core.audio.AudioFormat;
import io.voiceagent.core.audio.AudioPipeline;
import io.voiceagent.core.audio.AudioPipelines;
import io.voiceagent.core.telephony.MediaHandler;
import io.voiceagent.rtp.PacerStats;
import io.voiceagent.rtp.RtpCodec;
import io.voiceagent.rtp.RtpConfig;
import io.voiceagent.rtp.RtpEngine;
import io.voiceagent.rtp.RtpSession;
import io.voiceagent.rtp.RtpSessionStats;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * RTP load: {@code N} concurrent calls, each a two-way 20 ms G.711 stream between our engine and an echo in a
 * separate process ({@link RtpEchoServer}) over loopback, with every call's audio going through the core's
 * standard pipeline as the AI bridge will: 8 kHz callee PCM up to 16 kHz PCM for the "AI", and the "AI"'s
 * 16 kHz PCM (here: the same audio, at once) down to 8 kHz for the playout queue and back out.
 *
 * <p>Measures, over a window after a warm-up: send-gap error p50/p99/max (at our socket, from the pacer's
 * histogram; and at the echo, as arrival-gap error in the other process), loss (RFC 3550 A.3 on every call's
 * incoming stream, which has crossed loopback twice), CPU per call (ours and the echo's), heap per call (after
 * full GCs, with every call open and running), and bytes allocated per packet on the pacer and rtp-io threads.
 *
 * <p>Run (build first: {@code ./mvnw -B -q -pl voice-bench -am package -DskipTests}):
 * {@code java -Xms1g -Xmx1g -cp voice-bench/target/benchmarks.jar io.voiceagent.bench.RtpLoadBenchmark
 * --calls 100,500,1000 --warmup 5 --measure 20}
 */
public final class RtpLoadBenchmark {
  private RtpLoadBenchmark() {}

  /** One row of the curve. */
  record Result(int calls, double pacerCorePct, double ioCorePct, double aiCorePct, double processCorePct, double echoCorePct,
      double othersCorePct,
      PacerStats pacer, long echoP50, long echoP99, long echoMax, long sent, long received,
      long lost, long concealedMs, long drops, double cpuPerCallPct, double echoCpuPerCallPct, double heapPerCallKb,
      double pacerAllocPerPacket, double ioAllocPerPacket, double seconds) {}

  public static void main(String[] args) throws Exception {
    List<Integer> calls = List.of(100, 500, 1000);
    int warmup = 5;
    int measure = 20;
    long spinMicros = 0;
    int ioThreads = 1;
    boolean pipeline = true;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--calls": calls = parseList(args[++i]); break;
        case "--warmup": warmup = Integer.parseInt(args[++i]); break;
        case "--measure": measure = Integer.parseInt(args[++i]); break;
        case "--spin-us": spinMicros = Long.parseLong(args[++i]); break;
        case "--io-threads": ioThreads = Integer.parseInt(args[++i]); break;
        case "--no-pipeline": pipeline = false; break;
        default: throw new IllegalArgumentException("unknown argument " + args[i]
            + "; expected --calls 100,500,1000 --warmup 5 --measure 20 --spin-us 0 --io-threads 1 [--no-pipeline]");
      }
    }
    List<Result> results = new ArrayList<>();
    for (int n : calls) {
      String loadBefore = loadAverage();
      Result r = run(n, warmup, measure, spinMicros, ioThreads, pipeline);
      results.add(r);
      System.out.println(row(r) + " load average before / after: " + loadBefore + " / " + loadAverage() + "; " + r.pacer());
    }
    System.out.println();
    System.out.println("| calls | send-gap error p50 / p99 / max (ms) | echo arrival-gap error p50 / p99 / max (ms) "
        + "| packets sent / received | lost (A.3) | concealed ms | drops | CPU per call (ours / echo) "
        + "| heap per call | alloc per packet (pacer / io) | CPU % of one core: pacer / rtp-io / fake AI / whole process / echo process / rest of the machine |");
    System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
    for (Result r : results) System.out.println(row(r));
  }

  private static String row(Result r) {
    PacerStats p = r.pacer();
    return String.format(Locale.ROOT, "| %d | %.2f / %.2f / %.2f | %.2f / %.2f / %.2f | %d / %d | %d | %d | %d "
            + "| %.3f %% / %.3f %% of a core | %.0f KB | %.1f B / %.1f B | %.0f / %.0f / %.0f / %.0f / %.0f / %.0f |", r.calls(),
        p.sendGapErrorP50Micros() / 1000.0, p.sendGapErrorP99Micros() / 1000.0, p.sendGapErrorMaxMicros() / 1000.0,
        r.echoP50() / 1000.0, r.echoP99() / 1000.0, r.echoMax() / 1000.0, r.sent(), r.received(), r.lost(),
        r.concealedMs(), r.drops(), r.cpuPerCallPct(), r.echoCpuPerCallPct(), r.heapPerCallKb(),
        r.pacerAllocPerPacket(), r.ioAllocPerPacket(), r.pacerCorePct(), r.ioCorePct(), r.aiCorePct(), r.processCorePct(),
        r.echoCorePct(), r.othersCorePct());
  }

  /** CPU time the whole machine spent busy (all cores, from /proc/stat), in nanoseconds; 0 if unknown. */
  private static long machineBusyNanos() {
    try {
      String[] f = java.nio.file.Files.readAllLines(Paths.get("/proc/stat")).get(0).trim().split("\\s+");
      long busy = 0;
      for (int i = 1; i < f.length && i <= 8; i++) if (i != 4 && i != 5) busy += Long.parseLong(f[i]); // not idle, iowait
      return busy * 10_000_000L; // USER_HZ = 100
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  /** The machine's 1-minute load average: the benchmark shares 2 cores with whatever else runs. */
  private static String loadAverage() {
    try {
      return java.nio.file.Files.readString(Paths.get("/proc/loadavg")).split(" ")[0];
    } catch (IOException e) {
      return "?";
    }
  }

  private static List<Integer> parseList(String s) {
    List<Integer> l = new ArrayList<>();
    for (String part : s.split(",")) l.add(Integer.parseInt(part.trim()));
    return l;
  }

  /** @param pipeline false: no handler (silence out, audio only counted): the engine's own cost */
  static Result run(int n, int warmupSeconds, int measureSeconds, long spinMicros, int ioThreads, boolean pipeline)
      throws Exception {
    Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
    Process echo = new ProcessBuilder(java.toString(), "-Xms64m", "-Xmx256m", "-cp",
        System.getProperty("java.class.path"), RtpEchoServer.class.getName(), Integer.toString(n))
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    BufferedReader echoOut = new BufferedReader(new InputStreamReader(echo.getInputStream(), StandardCharsets.UTF_8));
    Writer echoIn = new OutputStreamWriter(echo.getOutputStream(), StandardCharsets.UTF_8);
    String[] portLine = echoOut.readLine().split(" ");
    int[] echoPorts = new int[n];
    for (int i = 0; i < n; i++) echoPorts[i] = Integer.parseInt(portLine[i + 1]);

    InetAddress loopback = InetAddress.getLoopbackAddress();
    RtpConfig config = new RtpConfig(loopback, 20_000, 29_999, Duration.ofSeconds(30))
        .withPacerSpin(Duration.ofNanos(spinMicros * 1000)).withIoThreads(ioThreads);
    long heapBase = usedHeapAfterGc();
    RtpEngine engine = RtpEngine.start(config);
    List<RtpSession> sessions = new ArrayList<>(n);
    List<BridgeHandler> handlers = new ArrayList<>(n);
    FakeAi ai = new FakeAi(handlers);
    Thread aiThread = new Thread(ai, "fake-ai");
    try {
      for (int i = 0; i < n; i++) {
        RtpSession s = engine.open(RtpSession.Listener.NONE);
        sessions.add(s);
        if (!pipeline) continue;
        BridgeHandler h = new BridgeHandler(AudioPipelines.standard().create(AudioFormat.PCM_16K, AudioFormat.PCM_16K));
        s.attach(h);
        handlers.add(h);
      }
      aiThread.start();
      for (int i = 0; i < n; i++) {
        sessions.get(i).start(new InetSocketAddress(loopback, echoPorts[i]), RtpCodec.PCMU, 101);
      }
      Thread.sleep(warmupSeconds * 1000L); // a benchmark's warm-up, not a test
      long heapPerCall = (usedHeapAfterGc() - heapBase) / n;

      engine.resetPacerStats();
      command(echoIn, echoOut, "reset");
      long[] before = totals(sessions);
      OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
      ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
      long pacerId = threadId("media-pacer");
      long ioId = threadId("rtp-io-0");
      long aiId = aiThread.getId();
      long aiCpu0 = threads.getThreadCpuTime(aiId);
      long pacerCpu0 = threads.getThreadCpuTime(pacerId);
      long ioCpu0 = threads.getThreadCpuTime(ioId);
      long pacerAlloc0 = threads.getThreadAllocatedBytes(pacerId);
      long ioAlloc0 = threads.getThreadAllocatedBytes(ioId);
      long machine0 = machineBusyNanos();
      long cpu0 = os.getProcessCpuTime();
      long echoCpu0 = echoCpuNanos(echo);
      long wall0 = System.nanoTime();

      Thread.sleep(measureSeconds * 1000L);

      long wall = System.nanoTime() - wall0;
      long cpu = os.getProcessCpuTime() - cpu0;
      long machine = machineBusyNanos() - machine0;
      long echoCpu = echoCpuNanos(echo) - echoCpu0;
      long pacerAlloc = threads.getThreadAllocatedBytes(pacerId) - pacerAlloc0;
      double pacerCore = 100.0 * (threads.getThreadCpuTime(pacerId) - pacerCpu0) / wall;
      double ioCore = 100.0 * (threads.getThreadCpuTime(ioId) - ioCpu0) / wall;
      double aiCore = 100.0 * (threads.getThreadCpuTime(aiId) - aiCpu0) / wall;
      long ioAlloc = threads.getThreadAllocatedBytes(ioId) - ioAlloc0;
      PacerStats pacer = engine.pacerStats();
      long[] after = totals(sessions);
      String[] echoStats = command(echoIn, echoOut, "stats").split(" ");
      long sent = after[0] - before[0];
      long received = after[1] - before[1];
      double othersCore = Math.max(0, 100.0 * (machine - cpu - echoCpu) / wall);
      return new Result(n, pacerCore, ioCore, aiCore, 100.0 * cpu / wall, 100.0 * echoCpu / wall, othersCore, pacer, Long.parseLong(echoStats[3]), Long.parseLong(echoStats[4]),
          Long.parseLong(echoStats[5]), sent, received, after[2] - before[2], after[3] - before[3],
          after[4] - before[4], 100.0 * cpu / wall / n, 100.0 * echoCpu / wall / n, heapPerCall / 1024.0,
          (double) pacerAlloc / sent, (double) ioAlloc / Math.max(1, received), wall / 1e9);
    } finally {
      ai.stop();
      aiThread.join();
      for (RtpSession s : sessions) s.close();
      engine.close();
      echoIn.close();
      echo.waitFor();
    }
  }

  /** sent, received, lost, concealed ms, drops (hand-off full, send failures) over every call. */
  private static long[] totals(List<RtpSession> sessions) {
    long[] t = new long[5];
    for (RtpSession s : sessions) {
      RtpSessionStats d = s.detailedStats();
      t[0] += d.media().packetsSent();
      t[1] += d.media().packetsReceived();
      t[2] += d.media().packetsLost();
      t[3] += d.media().concealedMs();
      t[4] += d.droppedQueueFull() + d.sendErrors();
    }
    return t;
  }

  private static String command(Writer in, BufferedReader out, String command) throws IOException {
    in.write(command + "\n");
    in.flush();
    return out.readLine();
  }

  private static long echoCpuNanos(Process p) {
    return p.toHandle().info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
  }

  private static long threadId(String name) {
    for (Thread t : Thread.getAllStackTraces().keySet()) if (t.getName().equals(name)) return t.getId();
    throw new IllegalStateException("no thread named " + name);
  }

  private static long usedHeapAfterGc() {
    for (int i = 0; i < 3; i++) System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /**
   * The call's media handler as the AI bridge will be (ARCHITECTURE, "the media path"): on the pacer thread
   * callee audio is converted to the AI's 16 kHz PCM and gathered into the 50 ms chunk the adapter sends;
   * agent audio comes from the playout queue. The agent's audio is put on that queue by {@link FakeAi}, on its
   * own thread, as the AI adapter's reader thread will.
   */
  static final class BridgeHandler implements MediaHandler, AudioSink {
    final AudioPipeline pipeline;
    private final byte[] chunk = new byte[16_000 / 20 * 2]; // 50 ms of 16 kHz PCM: the AI's upstream chunk
    private int chunkBytes;
    long chunksSent;

    BridgeHandler(AudioPipeline pipeline) {
      this.pipeline = pipeline;
    }

    @Override public void calleeAudio(short[] pcm, long nowNanos) {
      pipeline.fromCallee(pcm, this);
    }

    @Override public void sendAudio(byte[] data, int offset, int length) {
      int n = Math.min(length, chunk.length - chunkBytes);
      System.arraycopy(data, offset, chunk, chunkBytes, n);
      chunkBytes += n;
      if (chunkBytes == chunk.length) { // here the adapter would base64 it onto the WebSocket
        chunkBytes = 0;
        chunksSent++;
      }
    }

    @Override public boolean agentAudio(short[] out) {
      return pipeline.toCallee(out);
    }
  }

  /**
   * The AI's side: every 100 ms each call receives 100 ms of agent speech (a 440 Hz tone) at 16 kHz, which
   * the pipeline converts to 8 kHz frames for the playout queue — on this thread, as on the AI adapter's.
   */
  static final class FakeAi implements Runnable {
    private static final long PERIOD_NANOS = 100_000_000L;
    private final List<BridgeHandler> calls;
    private final byte[] speech = new byte[16_000 / 10 * 2];
    private volatile boolean running = true;

    FakeAi(List<BridgeHandler> calls) {
      this.calls = calls;
      for (int i = 0; i < speech.length / 2; i++) {
        short s = (short) (8000 * Math.sin(2 * Math.PI * 440 * i / 16_000.0));
        speech[2 * i] = (byte) s;
        speech[2 * i + 1] = (byte) (s >> 8);
      }
    }

    @Override public void run() {
      // every 10 ms a tenth of the calls get their 100 ms: the work is spread as a thousand reader threads'
      // would be, not one 10 ms burst every 100 ms
      long next = System.nanoTime();
      int slice = 0;
      while (running) {
        int n = calls.size();
        for (int i = slice * n / 10; i < (slice + 1) * n / 10; i++) {
          calls.get(i).pipeline.fromAgent(speech, 0, speech.length, 1);
        }
        slice = (slice + 1) % 10;
        next += PERIOD_NANOS / 10;
        long wait;
        while (running && (wait = next - System.nanoTime()) > 0) java.util.concurrent.locks.LockSupport.parkNanos(wait);
      }
    }

    void stop() {
      running = false;
    }
  }
}
