package io.voiceagent.core.telephony;

import io.voiceagent.core.call.CallId;
import io.voiceagent.core.call.PhoneNumber;
import java.time.Duration;
import java.util.Objects;

/**
 * What to dial. {@code ringTimeout} is a hint for providers that set it on their side (Exolve HTTP legs);
 * the core itself cancels a call that rings longer.
 */
public record DialRequest(CallId callId, PhoneNumber number, Duration ringTimeout) {
  public DialRequest {
    Objects.requireNonNull(callId, "callId");
    Objects.requireNonNull(number, "number");
    Objects.requireNonNull(ringTimeout, "ringTimeout");
  }
}
