package io.voiceagent.core.call;

import java.util.Locale;

/** Answering-machine detection verdict ({@code amd_result}). */
public enum AmdResult {
  HUMAN, MACHINE, NOTSURE;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
