package io.voiceagent.core.amd;

import java.util.Objects;

/**
 * What to do with each verdict ({@code AMD_MACHINE_ACTION}, {@code AMD_NOTSURE_ACTION},
 * {@code AMD_MACHINE_FIRST_MESSAGE}). A human always gets the agent at once.
 */
public record AmdPolicy(Action onMachine, Action onNotSure, String machineFirstMessage) {
  public enum Action { HANGUP, CONNECT }

  public static final AmdPolicy DEFAULT = new AmdPolicy(Action.HANGUP, Action.CONNECT, null);

  public AmdPolicy {
    Objects.requireNonNull(onMachine, "onMachine");
    Objects.requireNonNull(onNotSure, "onNotSure");
  }
}
