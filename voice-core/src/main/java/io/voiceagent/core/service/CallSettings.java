package io.voiceagent.core.service;

import io.voiceagent.core.config.Settings;
import java.time.Duration;
import java.util.Objects;

/**
 * The limits and timers {@link CallService} applies.
 *
 * @param maxConcurrentCalls calls that may be active at once ({@code MAX_CONCURRENT_CALLS}); keep it at or
 *                           below the AI plan's concurrency
 * @param ringTimeout        unanswered this long → CANCEL → {@code no_answer} ({@code RING_TIMEOUT_S})
 * @param maxCallDuration    an answered call is hung up after this long ({@code MAX_CALL_DURATION_S})
 * @param answerBufferMillis callee audio kept from the answer until the AI is ready (≤ 5 s)
 * @param idempotencyTtl     how long an {@code Idempotency-Key} returns its first call (24 h)
 */
public record CallSettings(int maxConcurrentCalls, Duration ringTimeout, Duration maxCallDuration,
    int answerBufferMillis, Duration idempotencyTtl) {

  public static final CallSettings DEFAULTS =
      new CallSettings(100, Duration.ofSeconds(60), Duration.ofSeconds(600), 5000, Duration.ofHours(24));

  public CallSettings {
    if (maxConcurrentCalls < 1) throw new IllegalArgumentException("maxConcurrentCalls is " + maxConcurrentCalls + ", expected ≥ 1");
    Objects.requireNonNull(ringTimeout, "ringTimeout");
    Objects.requireNonNull(maxCallDuration, "maxCallDuration");
    Objects.requireNonNull(idempotencyTtl, "idempotencyTtl");
    if (answerBufferMillis < 20 || answerBufferMillis > 5000) {
      throw new IllegalArgumentException("answerBufferMillis is " + answerBufferMillis + ", expected 20..5000");
    }
  }

  /** Reads {@code MAX_CONCURRENT_CALLS}, {@code RING_TIMEOUT_S} and {@code MAX_CALL_DURATION_S}. */
  public static CallSettings from(Settings s) {
    return new CallSettings(
        s.integer("MAX_CONCURRENT_CALLS", DEFAULTS.maxConcurrentCalls(), 1, 100_000),
        s.seconds("RING_TIMEOUT_S", 60, 1, 600),
        s.seconds("MAX_CALL_DURATION_S", 600, 1, 86_400),
        DEFAULTS.answerBufferMillis(),
        DEFAULTS.idempotencyTtl());
  }

  public CallSettings withMaxConcurrentCalls(int n) {
    return new CallSettings(n, ringTimeout, maxCallDuration, answerBufferMillis, idempotencyTtl);
  }

  public CallSettings withRingTimeout(Duration d) {
    return new CallSettings(maxConcurrentCalls, d, maxCallDuration, answerBufferMillis, idempotencyTtl);
  }

  public CallSettings withMaxCallDuration(Duration d) {
    return new CallSettings(maxConcurrentCalls, ringTimeout, d, answerBufferMillis, idempotencyTtl);
  }
}
