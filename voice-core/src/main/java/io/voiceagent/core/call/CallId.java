package io.voiceagent.core.call;

import java.util.Objects;
import java.util.UUID;

/** A call's id: a random UUID, so ids from several instances never collide. */
public record CallId(String value) {
  public CallId {
    Objects.requireNonNull(value, "value");
    if (value.isBlank()) throw new IllegalArgumentException("call id is blank");
  }

  public static CallId random() {
    return new CallId(UUID.randomUUID().toString());
  }

  public static CallId of(String value) {
    return new CallId(value);
  }

  @Override public String toString() {
    return value;
  }
}
