package io.voiceagent.core.config;

/** A setting is missing or malformed. The message names the variable and never echoes a secret. */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String variable;

  public ConfigException(String variable, String message) {
    super(message);
    this.variable = variable;
  }

  /** The variable at fault, e.g. {@code RTP_PORT_MIN}. */
  public String variable() {
    return variable;
  }
}
