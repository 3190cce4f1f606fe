package io.voiceagent.core.service;

import io.voiceagent.core.call.PhoneNumber;
import io.voiceagent.core.call.InvalidCallRequestException;
import java.util.Map;
import java.util.Objects;

/**
 * A request to call someone.
 *
 * @param firstMessage     the agent's first words for this call, or null
 * @param dynamicVariables values for the agent's prompt
 * @param idempotencyKey   the same key within 24 h returns the first call instead of dialling again; or null
 */
public record StartCallCommand(PhoneNumber number, String firstMessage, Map<String, String> dynamicVariables,
    String idempotencyKey) {
  public StartCallCommand {
    Objects.requireNonNull(number, "number");
    dynamicVariables = dynamicVariables == null ? Map.of() : Map.copyOf(dynamicVariables);
    if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > 255)) {
      throw new InvalidCallRequestException("Idempotency-Key", "Idempotency-Key must be 1-255 characters");
    }
  }

  public static StartCallCommand to(String number) {
    return new StartCallCommand(PhoneNumber.parse(number), null, Map.of(), null);
  }
}
