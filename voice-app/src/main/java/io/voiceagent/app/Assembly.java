package io.voiceagent.app;

import io.voiceagent.core.VoiceAgent;
import io.voiceagent.core.config.Settings;

/** How the app builds its {@link VoiceAgent} from the settings: providers by ServiceLoader, AMD from AMD_*. */
final class Assembly {
  private Assembly() {}

  static VoiceAgent.Builder agent(Settings settings) {
    return VoiceAgent.builder().settings(settings);
  }
}
