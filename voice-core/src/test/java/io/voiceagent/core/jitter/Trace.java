package io.voiceagent.core.jitter;

import io.voiceagent.core.audio.G711;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.function.IntPredicate;

/** Builds packet traces from a test signal and plays them through a jitter buffer with a 20 ms pull clock. */
final class Trace {
  static final long MS = 1_000_000L;

  record Packet(int seq, long ts, long ssrc, boolean marker, byte[] payload, long sentNanos, long arrivalNanos) {}

  /** A harmonic, slowly modulated test signal (a voiced-speech stand-in) with period 50 samples. */
  static short signal(long n) {
    double t = n / 8000.0;
    double env = 0.6 + 0.4 * Math.sin(2 * Math.PI * 0.7 * t);
    double v = Math.sin(2 * Math.PI * 160 * t) + 0.5 * Math.sin(2 * Math.PI * 320 * t + 0.3)
        + 0.25 * Math.sin(2 * Math.PI * 480 * t + 1.1);
    return (short) Math.round(6000 * env * v);
  }

  final List<Packet> packets = new ArrayList<>();
  final G711.Law law;

  Trace(G711.Law law) {
    this.law = law;
  }

  /**
   * {@code count} packets of {@code samples} each, sent every packet duration from {@code startNanos}, with
   * arrival = send + {@code baseDelayMs} + jitter(index) ms; packets for which {@code lost} is true are skipped.
   */
  Trace stream(int count, int samples, int firstSeq, long firstTs, long ssrc, long startNanos, double baseDelayMs,
      java.util.function.IntToDoubleFunction jitterMs, IntPredicate lost, long signalStart) {
    for (int i = 0; i < count; i++) {
      int seq = (firstSeq + i) & 0xFFFF;
      long ts = (firstTs + (long) i * samples) & 0xFFFFFFFFL;
      byte[] payload = new byte[samples];
      for (int j = 0; j < samples; j++) {
        short s = signal(signalStart + (long) i * samples + j);
        payload[j] = law == G711.Law.ULAW ? G711.linearToUlaw(s) : G711.linearToAlaw(s);
      }
      long sent = startNanos + (long) i * samples * 125_000L;
      long arrival = sent + Math.round((baseDelayMs + jitterMs.applyAsDouble(i)) * MS);
      if (!lost.test(i)) packets.add(new Packet(seq, ts, ssrc, i == 0, payload, sent, arrival));
    }
    return this;
  }

  static Trace clean(int seconds, double baseDelayMs) {
    return new Trace(G711.Law.ULAW).stream(seconds * 50, 160, 1000, 123_456L, 42L, 0L, baseDelayMs, i -> 0,
        i -> false, 0);
  }

  static Trace jittered(int seconds, double maxJitterMs, double lossRate, long seed) {
    Random r = new Random(seed);
    int n = seconds * 50;
    double[] jitter = new double[n];
    boolean[] lost = new boolean[n];
    for (int i = 0; i < n; i++) {
      jitter[i] = r.nextDouble() * maxJitterMs;
      lost[i] = r.nextDouble() < lossRate;
    }
    return new Trace(G711.Law.ULAW).stream(n, 160, 7, 999L, 42L, 0L, 30, i -> jitter[i], i -> lost[i], 0);
  }

  /** 95th percentile of relative delay (transit minus the smallest transit), in ms, over the whole trace. */
  double p95RelativeDelayMs() {
    long min = packets.stream().mapToLong(p -> p.arrivalNanos - p.sentNanos).min().orElse(0);
    double[] rel = packets.stream().mapToDouble(p -> (p.arrivalNanos - p.sentNanos - min) / 1e6).sorted().toArray();
    return rel[(int) Math.ceil(0.95 * rel.length) - 1];
  }

  /** Result of a run: all output samples and stats sampled after every poll. */
  record Run(short[] output, boolean[] audible, List<JitterStats> statsPerPoll) {
    JitterStats last() {
      return statsPerPoll.get(statsPerPoll.size() - 1);
    }

    JitterStats atMillis(long ms) {
      return statsPerPoll.get((int) (ms / 20));
    }
  }

  /** Offers packets in arrival order and polls every 20 ms from {@code phaseNanos} for {@code millis}. */
  Run play(JitterBuffer jb, long phaseNanos, long millis) {
    List<Packet> byArrival = new ArrayList<>(packets);
    byArrival.sort(Comparator.comparingLong(Packet::arrivalNanos));
    int polls = (int) (millis / 20);
    short[] out = new short[polls * 160];
    boolean[] audible = new boolean[polls];
    List<JitterStats> stats = new ArrayList<>();
    short[] frame = new short[160];
    int next = 0;
    for (int p = 0; p < polls; p++) {
      long now = phaseNanos + p * 20 * MS;
      while (next < byArrival.size() && byArrival.get(next).arrivalNanos <= now) {
        Packet k = byArrival.get(next++);
        jb.offer(k.seq, k.ts, k.ssrc, k.marker, k.payload, 0, k.payload.length, k.arrivalNanos);
      }
      audible[p] = jb.poll(now, frame);
      System.arraycopy(frame, 0, out, p * 160, 160);
      stats.add(jb.stats());
    }
    return new Run(out, audible, stats);
  }
}
