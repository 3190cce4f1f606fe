package io.voiceagent.core.call;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/** One turn of the conversation as the AI provider transcribed it. */
public record TranscriptEntry(Role role, String text, Instant at) {
  public enum Role {
    AGENT, USER;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public TranscriptEntry {
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(at, "at");
  }
}
