package io.voiceagent.core.telephony;

import java.util.Map;
import java.util.Objects;

/**
 * Whether telephony can place calls, with the details {@code /health} shows.
 *
 * @param state   short state word: {@code registered}, {@code registering}, {@code failed}, {@code ready}
 * @param details extra facts for the health answer (e.g. {@code expires_at}, {@code last_error}); no secrets
 */
public record TelephonyHealth(boolean ready, String provider, String state, Map<String, String> details) {
  public TelephonyHealth {
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(state, "state");
    details = Map.copyOf(details);
  }

  public static TelephonyHealth ready(String provider, String state) {
    return new TelephonyHealth(true, provider, state, Map.of());
  }
}
