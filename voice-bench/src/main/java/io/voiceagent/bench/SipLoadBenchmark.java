package io.voiceagent.bench;

import io.voiceagent.core.call.CallId;
import io.voiceagent.core.call.EndReason;
import io.voiceagent.core.call.PhoneNumber;
import io.voiceagent.core.telephony.DialRequest;
import io.voiceagent.core.telephony.MediaStats;
import io.voiceagent.core.telephony.MediaStream;
import io.voiceagent.core.telephony.TelephonyEnd;
import io.voiceagent.core.telephony.TelephonyListener;
import io.voiceagent.rtp.RtpConfig;
import io.voiceagent.rtp.RtpEngine;
import io.voiceagent.sip.SipConfig;
import io.voiceagent.sip.SipUserAgent;
import java.lang.management.ManagementFactory;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * SIP load: {@code N} concurrent calls from one {@link SipUserAgent} (real voice-rtp engine) to a sipp UAS in
 * another process ({@code uas_answer_quick.xml}: answer at once, wait for our BYE) with {@code -rtp_echo}, so
 * RTP flows both ways for every call. All calls are dialled at once, held up for {@code --hold} seconds with
 * media, then hung up together.
 *
 * <p>Reports: failures (any call not answered or not ended with our hang-up), dial-to-answer time p50/p99/max,
 * packets sent and received over all calls, our process CPU during the hold, live threads at the peak, and
 * sipp's verdict (its exit code: 0 when every call passed its scenario).
 *
 * <p>Run from the repository root (build first: {@code ./mvnw -B -q -pl voice-bench -am package -DskipTests};
 * needs {@code sipp}, Debian {@code sip-tester}):
 * {@code java -cp voice-bench/target/benchmarks.jar io.voiceagent.bench.SipLoadBenchmark --calls 200 --hold 10}
 */
public final class SipLoadBenchmark {
  private SipLoadBenchmark() {}

  public static void main(String[] args) throws Exception {
    int calls = 200;
    int holdSeconds = 10;
    Path scenario = Path.of("voice-sip-adapter/src/test/resources/sipp/uas_answer_quick.xml");
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--calls": calls = Integer.parseInt(args[i + 1]); break;
        case "--hold": holdSeconds = Integer.parseInt(args[i + 1]); break;
        case "--scenario": scenario = Path.of(args[i + 1]); break;
        default: throw new IllegalArgumentException("unknown option " + args[i] + "; expected --calls, --hold, --scenario");
      }
    }
    if (!Files.isRegularFile(scenario)) {
      throw new IllegalArgumentException(scenario + " not found: run from the repository root or pass --scenario");
    }
    int sipPort = freePort();
    int mediaPort = freeEvenPort();
    Path dir = Files.createTempDirectory("sipp-load");
    Process sipp = new ProcessBuilder("sipp", "-sf", scenario.toAbsolutePath().toString(), "-i", "127.0.0.1",
        "-p", Integer.toString(sipPort), "-mp", Integer.toString(mediaPort), "-rtp_echo", "-m", Integer.toString(calls),
        "-l", Integer.toString(calls * 2), "-nostdin", "-timeout", "300s", "-timeout_error", "-trace_err",
        "-error_file", dir.resolve("errors.log").toString())
        .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve("screen.log").toFile()).start();

    RtpEngine engine = RtpEngine.start(new RtpConfig(InetAddress.getLoopbackAddress(), 20000, 29998,
        Duration.ofSeconds(30)));
    SipConfig config = SipConfig.builder("883140000000000", "sip.test").proxy("127.0.0.1", sipPort)
        .bindAddress("127.0.0.1").localPort(freePort()).register(false).keepalive(Duration.ZERO, false)
        .sessionExpires(Duration.ZERO).build();
    SipUserAgent ua = SipUserAgent.builder(config).rtpEngine(engine).start();
    try {
      run(ua, calls, holdSeconds, sipp, dir);
    } finally {
      ua.close();
      engine.close();
      sipp.destroy();
    }
  }

  private static void run(SipUserAgent ua, int calls, int holdSeconds, Process sipp, Path dir) throws Exception {
    CountDownLatch answered = new CountDownLatch(calls);
    CountDownLatch ended = new CountDownLatch(calls);
    long[] answerNanos = new long[calls];
    List<CallId> ids = new ArrayList<>();
    ConcurrentHashMap<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    int threadsBefore = Thread.activeCount();
    long start = System.nanoTime();
    for (int i = 0; i < calls; i++) {
      int n = i;
      CallId id = CallId.random();
      ids.add(id);
      ua.dial(new DialRequest(id, new PhoneNumber("79123456789"), Duration.ofSeconds(60)), new TelephonyListener() {
        @Override public void ringing() {}

        @Override public void earlyMedia() {}

        @Override public void answered(MediaStream media) {
          answerNanos[n] = System.nanoTime() - start;
          answered.countDown();
        }

        @Override public void ended(TelephonyEnd end) {
          outcomes.computeIfAbsent(end.reason().wireName() + (end.message() == null ? "" : ": " + end.message()),
              k -> new AtomicInteger()).incrementAndGet();
          if (answerNanos[n] == 0) answered.countDown();
          ended.countDown();
        }
      });
    }
    boolean allAnswered = answered.await(120, TimeUnit.SECONDS);
    double setupSeconds = (System.nanoTime() - start) / 1e9;
    int threadsPeak = Thread.activeCount();
    long cpuBefore = os.getProcessCpuTime();
    long holdStart = System.nanoTime();
    Thread.sleep(holdSeconds * 1000L); // a load harness holding the calls up, not a test waiting on a condition
    double cpuPct = 100.0 * (os.getProcessCpuTime() - cpuBefore) / (System.nanoTime() - holdStart);
    long sent = 0;
    long received = 0;
    long lost = 0;
    for (CallId id : ids) {
      MediaStats s = ua.mediaStats(id).orElse(null);
      if (s == null) continue;
      sent += s.packetsSent();
      received += s.packetsReceived();
      lost += Math.max(0, s.packetsLost());
    }
    for (CallId id : ids) ua.hangup(id);
    boolean allEnded = ended.await(120, TimeUnit.SECONDS);
    boolean sippDone = sipp.waitFor(60, TimeUnit.SECONDS);
    int sippExit = sippDone ? sipp.exitValue() : -1;

    long[] sorted = Arrays.stream(answerNanos).filter(v -> v > 0).sorted().toArray();
    int ok = outcomes.getOrDefault(EndReason.LOCAL_HANGUP.wireName(), new AtomicInteger()).get();
    System.out.printf(Locale.ROOT, "calls %d, answered %d, ended with our hang-up %d, all ended %s, sipp exit %d%n",
        calls, sorted.length, ok, allEnded, sippExit);
    System.out.printf(Locale.ROOT, "outcomes %s%n", outcomes);
    System.out.printf(Locale.ROOT, "all %d dialled and answered in %.2f s (all answered: %s)%n", calls, setupSeconds,
        allAnswered);
    if (sorted.length > 0) {
      System.out.printf(Locale.ROOT, "dial-to-answer ms p50 %.1f p99 %.1f max %.1f%n", pct(sorted, 50) / 1e6,
          pct(sorted, 99) / 1e6, sorted[sorted.length - 1] / 1e6);
    }
    System.out.printf(Locale.ROOT, "hold %d s: RTP packets sent %d, received %d (echoed by sipp), lost %d%n",
        holdSeconds, sent, received, lost);
    System.out.printf(Locale.ROOT, "process CPU during the hold %.1f %% of one core; threads %d before, %d with %d calls up%n",
        cpuPct, threadsBefore, threadsPeak, calls);
    System.out.printf(Locale.ROOT, "failures: %d%n", calls - ok + (sippExit == 0 ? 0 : 1));
    if (sippExit != 0) {
      System.out.println("sipp errors: " + dir.resolve("errors.log") + ", screen: " + dir.resolve("screen.log"));
    }
  }

  private static long pct(long[] sorted, int p) {
    int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }

  private static int freePort() throws Exception {
    try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static int freeEvenPort() throws Exception {
    for (int i = 0; i < 100; i++) {
      int p = freePort();
      if (p % 2 == 0 && p < 65534) return p;
    }
    throw new IllegalStateException("no free even port");
  }

}
