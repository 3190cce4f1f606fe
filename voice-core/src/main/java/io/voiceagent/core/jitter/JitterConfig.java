package io.voiceagent.core.jitter;

/**
 * Jitter buffer settings.
 *
 * @param initialDelayMillis playout delay before any statistics exist (40 ms: two packets, enough on clean paths)
 * @param maxDelayMillis cap on the target delay (200 ms, as Asterisk and FreeSWITCH)
 */
public record JitterConfig(int initialDelayMillis, int maxDelayMillis) {
  /** 40 ms initial, 200 ms cap. */
  public static final JitterConfig DEFAULT = new JitterConfig(40, 200);

  public JitterConfig {
    if (initialDelayMillis < 20 || initialDelayMillis > 1000) {
      throw new IllegalArgumentException("initialDelayMillis is " + initialDelayMillis + ", expected 20..1000");
    }
    if (maxDelayMillis < initialDelayMillis || maxDelayMillis > 1000) {
      throw new IllegalArgumentException("maxDelayMillis is " + maxDelayMillis + ", expected " + initialDelayMillis
          + "..1000 (at least initialDelayMillis)");
    }
  }
}
