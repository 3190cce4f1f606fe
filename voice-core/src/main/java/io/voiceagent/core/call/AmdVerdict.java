package io.voiceagent.core.call;

import java.util.Objects;

/** A detector's verdict: the result, why ({@code after_greeting_silence}, …) and how long it took after the answer. */
public record AmdVerdict(AmdResult result, String cause, long millis) {
  public AmdVerdict {
    Objects.requireNonNull(result, "result");
    Objects.requireNonNull(cause, "cause");
    if (millis < 0) throw new IllegalArgumentException("millis is " + millis + ", expected ≥ 0");
  }
}
