package io.voiceagent.core.call;

import java.util.Locale;

public enum Direction {
  OUTBOUND, INBOUND;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
