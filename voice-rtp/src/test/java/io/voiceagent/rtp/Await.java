package io.voiceagent.rtp;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Polls a condition up to a deadline: tests wait on conditions, never on sleeps. */
final class Await {
  private Await() {}

  static void until(String what, Duration timeout, BooleanSupplier condition) {
    long end = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - end > 0) throw new AssertionError("timed out after " + timeout + " waiting for " + what);
      LockSupport.parkNanos(1_000_000L); // poll interval, not a wait for time to pass
    }
  }

  static <T> T value(String what, Duration timeout, Supplier<T> supplier, java.util.function.Predicate<T> ok) {
    long end = System.nanoTime() + timeout.toNanos();
    while (true) {
      T v = supplier.get();
      if (ok.test(v)) return v;
      if (System.nanoTime() - end > 0) {
        throw new AssertionError("timed out after " + timeout + " waiting for " + what + "; last value " + v);
      }
      LockSupport.parkNanos(1_000_000L);
    }
  }
}
