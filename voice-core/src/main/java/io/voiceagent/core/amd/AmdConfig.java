package io.voiceagent.core.amd;

import io.voiceagent.core.config.Settings;

/**
 * The answering-machine detector's parameters, in the manner of Asterisk's {@code amd.conf}. Times are
 * milliseconds of callee audio after the 200 OK; defaults are Asterisk's (see {@code docs/amd.md}).
 *
 * @param initialSilenceMillis       silence before any speech this long → machine ({@code initial_silence});
 *                                   {@code AMD_INITIAL_SILENCE_MS}, 2500
 * @param greetingMillis             speech in total this long → machine ({@code long_greeting}); {@code AMD_GREETING_MS}, 1500
 * @param afterGreetingSilenceMillis silence this long after speech → human ({@code after_greeting_silence});
 *                                   {@code AMD_AFTER_GREETING_SILENCE_MS}, 800
 * @param totalMillis                no verdict this long after the answer → not sure ({@code too_long}); the hard
 *                                   cap; {@code AMD_TOTAL_MS}, 5000
 * @param minWordMillis              speech this long makes a word (shorter is a click or a breath);
 *                                   {@code AMD_MIN_WORD_MS}, 100
 * @param betweenWordsSilenceMillis  silence this long ends a word (shorter gaps are bridged);
 *                                   {@code AMD_BETWEEN_WORDS_SILENCE_MS}, 50
 * @param maxWords                   more words than this → machine ({@code max_words}): with 3 the 4th word decides;
 *                                   {@code AMD_MAX_WORDS}, 3
 * @param maxWordMillis              one word this long → machine ({@code max_word_length}); {@code AMD_MAX_WORD_MS}, 5000
 * @param silenceThreshold           a 20 ms frame whose average magnitude (16-bit samples) is below this is silence;
 *                                   {@code AMD_SILENCE_THRESHOLD}, 256. The detector raises it over steady line noise
 *                                   (see {@code noiseFactor})
 * @param noiseFactor                a frame is speech only if louder than this many times the line's noise floor
 *                                   (the quietest frames of the last 2.5 s); 0 turns the adaptation off and leaves
 *                                   the fixed threshold alone, as Asterisk does; {@code AMD_NOISE_FACTOR}, 2
 * @param greetingEndSilenceMillis   after a machine verdict, silence this long after the greeting's speech means
 *                                   the greeting has ended (when no beep came); {@code AMD_GREETING_END_SILENCE_MS}, 1000
 * @param greetingEndMaxMillis       after a machine verdict, wait at most this long (from the verdict) for the greeting to end;
 *                                   {@code AMD_GREETING_END_MAX_MS}, 20000
 */
public record AmdConfig(
    int initialSilenceMillis,
    int greetingMillis,
    int afterGreetingSilenceMillis,
    int totalMillis,
    int minWordMillis,
    int betweenWordsSilenceMillis,
    int maxWords,
    int maxWordMillis,
    int silenceThreshold,
    int noiseFactor,
    int greetingEndSilenceMillis,
    int greetingEndMaxMillis) {

  /** Asterisk's defaults (with its code's 3 words), noise adaptation at 2× the floor, greeting end 1 s / 20 s. */
  public static final AmdConfig DEFAULT = new AmdConfig(2500, 1500, 800, 5000, 100, 50, 3, 5000, 256, 2, 1000, 20_000);

  static final int MAX_MILLIS = 60_000;

  public AmdConfig {
    check("initialSilenceMillis", initialSilenceMillis, 20, MAX_MILLIS);
    check("greetingMillis", greetingMillis, 20, MAX_MILLIS);
    check("afterGreetingSilenceMillis", afterGreetingSilenceMillis, 20, MAX_MILLIS);
    check("totalMillis", totalMillis, 100, MAX_MILLIS);
    check("minWordMillis", minWordMillis, 20, MAX_MILLIS);
    check("betweenWordsSilenceMillis", betweenWordsSilenceMillis, 20, MAX_MILLIS);
    check("maxWords", maxWords, 1, 100);
    check("maxWordMillis", maxWordMillis, 20, MAX_MILLIS);
    check("silenceThreshold", silenceThreshold, 1, 32_767);
    check("noiseFactor", noiseFactor, 0, 100);
    check("greetingEndSilenceMillis", greetingEndSilenceMillis, 100, MAX_MILLIS);
    check("greetingEndMaxMillis", greetingEndMaxMillis, 100, 10 * MAX_MILLIS);
  }

  private static void check(String name, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(name + " is " + value + ", expected " + min + ".." + max);
    }
  }

  /**
   * Reads the {@code AMD_*} parameters; each one unset keeps its {@link #DEFAULT}.
   *
   * @throws io.voiceagent.core.config.ConfigException a value is not a whole number in its range (names the variable)
   */
  public static AmdConfig from(Settings s) {
    AmdConfig d = DEFAULT;
    return new AmdConfig(
        s.integer("AMD_INITIAL_SILENCE_MS", d.initialSilenceMillis, 20, MAX_MILLIS),
        s.integer("AMD_GREETING_MS", d.greetingMillis, 20, MAX_MILLIS),
        s.integer("AMD_AFTER_GREETING_SILENCE_MS", d.afterGreetingSilenceMillis, 20, MAX_MILLIS),
        s.integer("AMD_TOTAL_MS", d.totalMillis, 100, MAX_MILLIS),
        s.integer("AMD_MIN_WORD_MS", d.minWordMillis, 20, MAX_MILLIS),
        s.integer("AMD_BETWEEN_WORDS_SILENCE_MS", d.betweenWordsSilenceMillis, 20, MAX_MILLIS),
        s.integer("AMD_MAX_WORDS", d.maxWords, 1, 100),
        s.integer("AMD_MAX_WORD_MS", d.maxWordMillis, 20, MAX_MILLIS),
        s.integer("AMD_SILENCE_THRESHOLD", d.silenceThreshold, 1, 32_767),
        s.integer("AMD_NOISE_FACTOR", d.noiseFactor, 0, 100),
        s.integer("AMD_GREETING_END_SILENCE_MS", d.greetingEndSilenceMillis, 100, MAX_MILLIS),
        s.integer("AMD_GREETING_END_MAX_MS", d.greetingEndMaxMillis, 100, 10 * MAX_MILLIS));
  }
}
