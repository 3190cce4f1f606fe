package io.voiceagent.core.config;

import java.util.Objects;

/**
 * A secret value (password, API key, signed URL). {@link #toString()} is always {@code ****} so a secret
 * that slips into a log line or an exception message shows nothing; read it with {@link #reveal()} at the
 * one place that must send it.
 */
public final class Secret {
  private final String value;

  private Secret(String value) {
    this.value = Objects.requireNonNull(value, "value");
  }

  public static Secret of(String value) {
    return new Secret(value);
  }

  /** The clear text. Call it only where the value leaves the process (an auth header, a digest). */
  public String reveal() {
    return value;
  }

  /** Masks {@code text}: every occurrence of this secret in it becomes {@code ****}. */
  public String maskIn(String text) {
    if (text == null || value.isEmpty()) return text;
    return text.replace(value, "****");
  }

  @Override public boolean equals(Object o) {
    return o instanceof Secret && ((Secret) o).value.equals(value);
  }

  @Override public int hashCode() {
    return value.hashCode();
  }

  @Override public String toString() {
    return "****";
  }
}
