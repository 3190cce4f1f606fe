package io.voiceagent.core.ai;

import java.util.Objects;

/**
 * How an AI session ended.
 *
 * @param byAgent true when the agent ended the conversation on purpose (its last words are played out, then
 *                the call hangs up as {@code agent_hangup}); false when the session failed
 *                ({@code ai_disconnected})
 * @param message what happened, for the call's {@code message} field and the log
 */
public record AiEnd(boolean byAgent, String message) {
  public AiEnd {
    Objects.requireNonNull(message, "message");
  }

  public static AiEnd byAgent(String message) {
    return new AiEnd(true, message);
  }

  public static AiEnd failed(String message) {
    return new AiEnd(false, message);
  }
}
