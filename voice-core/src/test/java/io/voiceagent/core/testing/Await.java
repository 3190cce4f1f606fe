package io.voiceagent.core.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits on a condition up to a deadline, polling; tests never sleep a fixed time. */
public final class Await {
  private Await() {}

  public static void until(String what, BooleanSupplier condition) {
    until(what, ScriptedTelephony.WAIT, condition);
  }

  public static void until(String what, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError("timed out after " + timeout + " waiting for " + what);
      java.util.concurrent.locks.LockSupport.parkNanos(1_000_000); // poll interval of a condition wait
      if (Thread.interrupted()) throw new AssertionError("interrupted waiting for " + what);
    }
  }

  /** Waits until {@code value} returns non-null and returns it. */
  public static <T> T value(String what, Supplier<T> value) {
    Object[] box = new Object[1];
    until(what, () -> (box[0] = value.get()) != null);
    @SuppressWarnings("unchecked") T t = (T) box[0];
    return t;
  }
}
