/**
 * Answering-machine detection: the gate between {@code answered} and opening the AI.
 *
 * <p>{@link io.voiceagent.core.amd.AnsweringMachineDetector} is the port the call service drives (one
 * detection per answered call, fed 20 ms frames on the pacer thread); {@link
 * io.voiceagent.core.amd.EnergyAnsweringMachineDetector} is the implementation, an energy and timing state
 * machine in the manner of Asterisk's {@code app_amd} with the parameters of {@link
 * io.voiceagent.core.amd.AmdConfig}; {@link io.voiceagent.core.amd.AnsweringMachineDetection#fromSettings}
 * builds it and its {@link io.voiceagent.core.amd.AmdPolicy} from the {@code AMD_*} settings. See
 * {@code docs/amd.md}.
 */
package io.voiceagent.core.amd;
