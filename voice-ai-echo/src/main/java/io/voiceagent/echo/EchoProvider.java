package io.voiceagent.echo;

import io.voiceagent.core.ai.ConversationalAIPort;
import io.voiceagent.core.config.Settings;
import io.voiceagent.core.spi.ConversationalAIProvider;

/**
 * The {@code echo} AI provider: after each turn of the callee it plays back what the callee said and writes a
 * transcript entry for both sides. It needs no settings, so it is "configured" as soon as its jar is on the
 * class path; with another configured provider beside it, {@code AI_PROVIDER} chooses.
 *
 * <p>It exists to show (and test) that an AI provider is swapped by class path alone, and as a template for
 * writing one: see {@code docs/embedding.md}.
 */
public final class EchoProvider implements ConversationalAIProvider {
  @Override public String name() {
    return "echo";
  }

  @Override public boolean isConfiguredBy(Settings settings) {
    return true;
  }

  @Override public ConversationalAIPort create(Settings settings) {
    return new EchoPort(settings.integer("ECHO_MAX_TURN_MS", 10_000, 1_000, 60_000));
  }
}
