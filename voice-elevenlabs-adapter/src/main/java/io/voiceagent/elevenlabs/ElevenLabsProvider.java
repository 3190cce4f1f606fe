package io.voiceagent.elevenlabs;

import io.voiceagent.core.ai.ConversationalAIPort;
import io.voiceagent.core.config.Settings;
import io.voiceagent.core.spi.ConversationalAIProvider;

/**
 * The {@code elevenlabs} conversational AI: an ElevenLabs Agents (Conversational AI) agent over its WebSocket
 * protocol. Found by {@link java.util.ServiceLoader}.
 *
 * <p>Configured by {@code ELEVENLABS_AGENT_ID} (an API key alone is not enough). With
 * {@code ELEVENLABS_API_KEY} every conversation opens a signed URL fetched while the phone rings; without it the
 * agent must be public. Further settings: {@code ELEVENLABS_WS_URL}, {@code ELEVENLABS_API_URL},
 * {@code ELEVENLABS_FIRST_MESSAGE}, {@code ELEVENLABS_LANGUAGE}, {@code ELEVENLABS_CONNECT_TIMEOUT_S},
 * {@code ELEVENLABS_CHUNK_MS}, {@code ELEVENLABS_UPSTREAM_BACKLOG_MS}, {@code ELEVENLABS_WS_PING_S},
 * {@code SOCKS5_PROXY} and {@code MAX_CONCURRENT_CALLS}; see {@code docs/elevenlabs.md}.
 */
public final class ElevenLabsProvider implements ConversationalAIProvider {
  /** What {@code AI_PROVIDER} names. */
  public static final String NAME = "elevenlabs";

  /** Cheap: {@link java.util.ServiceLoader} calls it for every listing. */
  public ElevenLabsProvider() {}

  @Override public String name() {
    return NAME;
  }

  @Override public boolean isConfiguredBy(Settings settings) {
    return settings.isSet(ElevenLabsConfig.AGENT_ID);
  }

  /**
   * Validates the settings and builds the port (its HTTP client and threads).
   *
   * @throws io.voiceagent.core.config.ConfigException naming the missing or malformed variable
   */
  @Override public ConversationalAIPort create(Settings settings) {
    return new ElevenLabsPort(ElevenLabsConfig.from(settings), System::nanoTime);
  }

  @Override public String toString() {
    return NAME;
  }
}
