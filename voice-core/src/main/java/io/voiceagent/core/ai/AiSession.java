package io.voiceagent.core.ai;

import io.voiceagent.core.audio.AudioSink;

/**
 * One call's conversation. Life: prepared → {@link #open} → listener's {@code ready} → audio both ways →
 * {@code ended} or {@link #close}. {@link #close} is idempotent and may come at any point, also before
 * {@code open}.
 */
public interface AiSession extends AudioSink, AutoCloseable {
  /**
   * Opens the conversation with this call's options (first message, dynamic variables); returns at once. The listener hears {@link AiSessionListener#ready} when
   * audio may flow, or {@link AiSessionListener#ended} if it could not open (after the provider's
   * connect timeout).
   */
  void open(AiCallOptions options, AiSessionListener listener);

  /**
   * Callee audio in the input format announced in {@code ready}. The bytes are copied before this returns.
   * Never blocks: when the provider cannot keep up, the oldest audio is dropped and counted.
   */
  @Override void sendAudio(byte[] data, int offset, int length);

  @Override void close();
}
