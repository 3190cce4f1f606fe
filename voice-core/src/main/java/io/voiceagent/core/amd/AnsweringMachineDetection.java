package io.voiceagent.core.amd;

import io.voiceagent.core.config.Settings;
import java.util.Locale;
import java.util.Objects;

/**
 * Answering-machine detection as the settings ask for it: the detector (or {@link AnsweringMachineDetector#OFF})
 * and the policy for its verdicts, ready for {@code VoiceAgent.Builder.answeringMachineDetector(detector, policy)}.
 */
public record AnsweringMachineDetection(AnsweringMachineDetector detector, AmdPolicy policy) {
  public AnsweringMachineDetection {
    Objects.requireNonNull(detector, "detector");
    Objects.requireNonNull(policy, "policy");
  }

  /**
   * Reads {@code AMD_MODE} ({@code detect} default, or {@code off}), {@code AMD_MACHINE_ACTION} ({@code hangup}
   * default, or {@code connect}), {@code AMD_NOTSURE_ACTION} ({@code connect} default, or {@code hangup}),
   * {@code AMD_MACHINE_FIRST_MESSAGE} and, with detection on, the parameters {@link AmdConfig#from} reads.
   * Every setting is validated even with detection off, so a typo never waits for the day it is switched on.
   *
   * @throws io.voiceagent.core.config.ConfigException a setting is malformed (names the variable)
   */
  public static AnsweringMachineDetection fromSettings(Settings s) {
    String mode = s.choice("AMD_MODE", "detect", "detect", "off");
    AmdPolicy policy = new AmdPolicy(
        action(s.choice("AMD_MACHINE_ACTION", "hangup", "hangup", "connect")),
        action(s.choice("AMD_NOTSURE_ACTION", "connect", "connect", "hangup")),
        s.get("AMD_MACHINE_FIRST_MESSAGE").orElse(null));
    AmdConfig config = AmdConfig.from(s);
    AnsweringMachineDetector detector =
        mode.equals("off") ? AnsweringMachineDetector.OFF : new EnergyAnsweringMachineDetector(config);
    return new AnsweringMachineDetection(detector, policy);
  }

  private static AmdPolicy.Action action(String name) {
    return AmdPolicy.Action.valueOf(name.toUpperCase(Locale.ROOT));
  }

  /** Whether detection runs. */
  public boolean enabled() {
    return detector != AnsweringMachineDetector.OFF;
  }
}
