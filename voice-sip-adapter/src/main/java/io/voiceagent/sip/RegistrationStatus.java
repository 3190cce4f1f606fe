package io.voiceagent.sip;

import java.time.Instant;
import java.util.Objects;

/**
 * Where registration with the registrar stands.
 *
 * @param expiresAt when the current binding ends (null unless {@link State#REGISTERED})
 * @param lastError the last failure in words ("authentication rejected by sip.exolve.ru"), or null; never a
 *                  secret
 */
public record RegistrationStatus(State state, Instant expiresAt, String lastError) {
  public RegistrationStatus {
    Objects.requireNonNull(state, "state");
  }

  /** Registration's life: {@code OFF} when the user agent does not register at all. */
  public enum State { OFF, UNREGISTERED, REGISTERING, REGISTERED, FAILED }
}
