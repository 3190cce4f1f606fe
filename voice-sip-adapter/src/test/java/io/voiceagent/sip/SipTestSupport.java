package io.voiceagent.sip;

import io.voiceagent.core.config.Secret;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Configuration and waiting helpers shared by the sipp tests. */
final class SipTestSupport {
  static final String USER = "883140000000000";
  static final Secret PASSWORD = Secret.of("s3cret");
  static final Duration WAIT = Duration.ofSeconds(30);

  private SipTestSupport() {}

  /** A user agent config aimed at sipp on {@code proxyPort}, registration off, no keepalive. */
  static SipConfig.Builder config(int proxyPort) {
    return SipConfig.builder(USER, "sip.test")
        .password(PASSWORD)
        .proxy("127.0.0.1", proxyPort)
        .bindAddress("127.0.0.1")
        .localPort(Sipp.freeUdpPort())
        .register(false)
        .keepalive(Duration.ZERO, false)
        .sessionExpires(Duration.ZERO);
  }

  /** Polls {@code condition} until it holds, failing with {@code what} after {@code timeout}. */
  static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
      synchronized (SipTestSupport.class) {
        SipTestSupport.class.wait(10); // a bounded wait between polls, not a sleep standing in for a condition
      }
    }
  }

  static <T> void await(String what, Duration timeout, Supplier<T> value, java.util.function.Predicate<T> ok)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    T last = value.get();
    while (!ok.test(last)) {
      if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what + " (last: " + last + ")");
      synchronized (SipTestSupport.class) {
        SipTestSupport.class.wait(10);
      }
      last = value.get();
    }
  }
}
