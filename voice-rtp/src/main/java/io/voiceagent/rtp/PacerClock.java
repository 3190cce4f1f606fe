package io.voiceagent.rtp;

import java.util.concurrent.locks.LockSupport;

/**
 * The media engine's monotonic clock and the pacer's way of waiting for a deadline. Injected so that tests
 * can run an hour of pacing in virtual time.
 */
interface PacerClock {
  /** Monotonic nanoseconds, comparable only with each other. */
  long nanoTime();

  /**
   * Waits until about {@code deadlineNanos}. May return early (unpark, spurious wake-up): the caller checks
   * the time again.
   */
  void parkUntil(long deadlineNanos);

  /**
   * The real clock: parks to the deadline (Linux timer slack adds ~50 µs), or parks to {@code spinNanos}
   * before it and spins the rest.
   */
  static PacerClock system(long spinNanos) {
    return new PacerClock() {
      @Override public long nanoTime() {
        return System.nanoTime();
      }

      @Override public void parkUntil(long deadlineNanos) {
        long remaining = deadlineNanos - System.nanoTime();
        if (remaining > spinNanos) {
          LockSupport.parkNanos(remaining - spinNanos);
          return;
        }
        while (remaining > 0) {
          Thread.onSpinWait();
          remaining = deadlineNanos - System.nanoTime();
        }
      }

      @Override public String toString() {
        return "system clock, spin " + spinNanos / 1000 + " µs";
      }
    };
  }
}
