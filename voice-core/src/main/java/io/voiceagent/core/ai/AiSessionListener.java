package io.voiceagent.core.ai;

import io.voiceagent.core.audio.AudioFormat;
import io.voiceagent.core.call.TranscriptEntry;

/**
 * What an AI session tells the core. Called on the provider's thread (one at a time per session); must
 * return quickly.
 */
public interface AiSessionListener {
  /**
   * The conversation is open. {@code input} is the format the AI wants callee audio in; {@code output} the
   * format of agent audio it will send.
   */
  void ready(String conversationId, AudioFormat input, AudioFormat output);

  /**
   * Agent speech in the output format. {@code eventId} orders it for interruptions: audio with an id at or
   * below an interruption's id is dropped. The array may be reused after this returns.
   */
  void agentAudio(byte[] data, int offset, int length, long eventId);

  /** The callee barged in: drop agent audio up to and including {@code eventId} now. */
  void interrupted(long eventId);

  /** A finished transcript line (agent response or user transcript). */
  void transcript(TranscriptEntry.Role role, String text);

  /**
   * The agent was cut off: its entry with text {@code original} should read {@code corrected} (what was
   * actually spoken). The most recent agent entry with that text is replaced.
   */
  default void transcriptCorrected(String original, String corrected) {}

  /**
   * The agent calls a client tool. {@code reply} must be called exactly once, from any thread; the core runs
   * the registered {@link ToolHandler} off the caller's thread, or replies "not available" at once.
   */
  default void toolCall(String toolName, java.util.Map<String, Object> parameters,
      java.util.function.Consumer<ToolResult> reply) {
    reply.accept(ToolResult.error("tool '" + toolName + "' is not available"));
  }

  /** The session is over: the agent ended the conversation, or the session failed. Called once. */
  void ended(AiEnd end);
}
