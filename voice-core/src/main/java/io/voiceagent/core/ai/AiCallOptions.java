package io.voiceagent.core.ai;

import java.util.Map;
import java.util.Objects;

/**
 * Per-call options for the conversation.
 *
 * @param firstMessage     the agent's first words for this call, or null for the provider's default
 * @param dynamicVariables values the agent's prompt refers to
 * @param userId           who the conversation is with, for the provider's records (the call id)
 */
public record AiCallOptions(String firstMessage, Map<String, String> dynamicVariables, String userId) {
  public AiCallOptions {
    dynamicVariables = Map.copyOf(dynamicVariables);
    Objects.requireNonNull(userId, "userId");
  }

  /** The same options with another first message (a voicemail message, say). */
  public AiCallOptions withFirstMessage(String message) {
    return new AiCallOptions(message, dynamicVariables, userId);
  }
}
