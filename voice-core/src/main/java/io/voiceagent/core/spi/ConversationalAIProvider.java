package io.voiceagent.core.spi;

import io.voiceagent.core.ai.ConversationalAIPort;
import io.voiceagent.core.config.Settings;

/**
 * A conversational AI implementation, found with {@link java.util.ServiceLoader}: a jar lists its class in
 * {@code META-INF/services/io.voiceagent.core.spi.ConversationalAIProvider}. The constructor must be cheap;
 * heavy work belongs in {@link #create}.
 */
public interface ConversationalAIProvider {
  /** {@code elevenlabs}, {@code sandbox}, …: what {@code AI_PROVIDER} names. */
  String name();

  /** Whether {@code settings} configure this provider (elevenlabs: {@code ELEVENLABS_AGENT_ID} is set). */
  boolean isConfiguredBy(Settings settings);

  /**
   * Builds the port.
   *
   * @throws io.voiceagent.core.config.ConfigException naming a missing or malformed setting
   */
  ConversationalAIPort create(Settings settings);
}
