package io.voiceagent.core.amd;

import io.voiceagent.core.call.AmdVerdict;
import io.voiceagent.core.call.CallId;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The answering-machine detector: an energy and timing state machine in the manner of Asterisk's
 * {@code app_amd}, over 20 ms frames of 8 kHz callee audio after the 200 OK.
 *
 * <p>Each frame is speech or silence by its average magnitude against {@link AmdConfig#silenceThreshold()}
 * (raised over steady line noise); runs of speech make words, runs of silence end them. The verdict:
 * <ul>
 *   <li>{@code machine}: {@code initial_silence} (nobody speaks at first), {@code long_greeting} (too much
 *       speech), {@code max_words} (too many words), {@code max_word_length} (one endless word), {@code beep}
 *       (a steady tone after some speech);</li>
 *   <li>{@code human}: {@code after_greeting_silence} (a short greeting, then silence: the person waits);</li>
 *   <li>{@code notsure}: {@code too_long} (no rule fired within {@link AmdConfig#totalMillis()}).</li>
 * </ul>
 * After a machine verdict the detection keeps listening and, when asked through
 * {@link AnsweringMachineDetector.Detection#awaitGreetingEnd}, says when the greeting has ended:
 * {@code beep} (its beep is over), {@code silence} ({@link AmdConfig#greetingEndSilenceMillis()} of silence
 * after speech) or {@code max_wait} ({@link AmdConfig#greetingEndMaxMillis()} passed).
 *
 * <p>Stateless itself and shared by all calls; each {@link #start} makes a small per-call detection that
 * allocates nothing per frame and lives on the pacer thread.
 */
public final class EnergyAnsweringMachineDetector implements AnsweringMachineDetector {
  private final AmdConfig config;

  public EnergyAnsweringMachineDetector(AmdConfig config) {
    this.config = Objects.requireNonNull(config, "config");
  }

  public AmdConfig config() {
    return config;
  }

  @Override public Detection start(CallId id, long startNanos, Consumer<AmdVerdict> verdict) {
    Objects.requireNonNull(verdict, "verdict");
    return new EnergyDetection(id, config, startNanos, verdict);
  }

  @Override public String toString() {
    return "EnergyAnsweringMachineDetector" + config;
  }
}
