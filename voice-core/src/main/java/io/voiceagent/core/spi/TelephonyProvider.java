package io.voiceagent.core.spi;

import io.voiceagent.core.config.Settings;
import io.voiceagent.core.telephony.TelephonyPort;

/**
 * A telephony implementation, found with {@link java.util.ServiceLoader} like
 * {@link ConversationalAIProvider}: {@code sip}, {@code exolve-http}, {@code sandbox}.
 */
public interface TelephonyProvider {
  String name();

  /** sip: {@code EXOLVE_SIP_USER} set and not {@code USE_EXOLVE_HTTP}; exolve-http: {@code USE_EXOLVE_HTTP=true}. */
  boolean isConfiguredBy(Settings settings);

  /** Builds and starts the port (binds sockets, registers). */
  TelephonyPort create(Settings settings);
}
