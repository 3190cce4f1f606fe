package io.voiceagent.rtp;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Virtual time for the pacer: parking jumps to the deadline plus a random oversleep, like a loaded
 * machine's scheduler. The pacer runs on the test's thread and is stopped when the end time is reached;
 * scripted actions run at their virtual times.
 */
final class VirtualClock implements PacerClock {
  private final SplittableRandom random;
  private final List<long[]> stalls = new ArrayList<>();       // {at, length}
  private final List<Object[]> actions = new ArrayList<>();   // {Long at, Runnable}
  private volatile long now;
  private long end = Long.MAX_VALUE;
  private MediaPacer pacer;
  long parks;

  VirtualClock(long seed) {
    random = new SplittableRandom(seed);
    now = 1_000_000_000_000L; // anything: only differences count
  }

  void runUntil(MediaPacer p, long endNanos) {
    pacer = p;
    end = endNanos;
    p.run();
  }

  /** A one-off oversleep of {@code lengthNanos} the first time the pacer parks after {@code atNanos}. */
  void stallAt(long atNanos, long lengthNanos) {
    stalls.add(new long[] {atNanos, lengthNanos});
  }

  void at(long atNanos, Runnable action) {
    actions.add(new Object[] {atNanos, action});
  }

  @Override public long nanoTime() {
    return now;
  }

  @Override public void parkUntil(long deadlineNanos) {
    parks++;
    long t = Math.max(now, deadlineNanos);
    // a scheduler's usual lateness: 0–0.5 ms, sometimes 2–10 ms, rarely 50–90 ms (still within catch-up)
    double r = random.nextDouble();
    if (r < 0.0001) t += random.nextLong(50_000_000L, 90_000_000L);
    else if (r < 0.01) t += random.nextLong(2_000_000L, 10_000_000L);
    else t += random.nextLong(500_000L);
    for (int i = 0; i < stalls.size(); i++) { // indexed: no iterator, so parking allocates nothing
      long[] s = stalls.get(i);
      if (s[1] > 0 && t >= s[0]) {
        t += s[1];
        s[1] = 0;
      }
    }
    now = t;
    for (int i = 0; i < actions.size(); i++) {
      Object[] a = actions.get(i);
      if (a[1] != null && t >= (Long) a[0]) {
        Runnable action = (Runnable) a[1];
        a[1] = null;
        action.run();
      }
    }
    if (t >= end) pacer.stop();
  }

  @Override public String toString() {
    return "virtual clock";
  }
}
