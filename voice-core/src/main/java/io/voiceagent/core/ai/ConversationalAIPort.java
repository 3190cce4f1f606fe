package io.voiceagent.core.ai;

import io.voiceagent.core.call.CallId;

/**
 * A conversational AI as the core sees it. One port serves every call; each call gets an {@link AiSession}
 * prepared while the phone rings and opened only once a person answered.
 */
public interface ConversationalAIPort extends AutoCloseable {
  /** The provider's name ({@code elevenlabs}, {@code sandbox}, …), for logs and {@code /health}. */
  String name();

  /**
   * Starts getting a session ready for a call (fetching credentials, a signed URL…) without blocking.
   * Nothing is spent yet: a prepared session that is never opened is just closed.
   */
  AiSession prepare(CallId callId);

  /** Releases shared resources (HTTP clients, threads). Open sessions are closed first. */
  @Override default void close() {}
}
