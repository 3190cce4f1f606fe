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

  /** The session is over: the agent ended the conversation, or the session failed. Called once. */
  void ended(AiEnd end);
}
