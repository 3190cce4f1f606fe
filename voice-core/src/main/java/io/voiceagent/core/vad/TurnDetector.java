package io.voiceagent.core.vad;

/**
 * Finds the ends of a speaker's turns on top of a {@link Vad}: a turn ends on the frame where speech of at
 * least {@code minSpeechMillis} is declared over (after the VAD's hangover). Used to time the agent's answer
 * (end of callee speech → first agent audio) and by the sandbox's simulated speakers.
 *
 * <p>Not thread-safe; allocation-free after construction.
 */
public final class TurnDetector {
  private final Vad vad;
  private final int minSpeechMillis;
  private boolean speaking;
  private int lastTurnMillis;

  public TurnDetector(VadConfig config, int minSpeechMillis) {
    if (minSpeechMillis < 0) throw new IllegalArgumentException("minSpeechMillis is " + minSpeechMillis + ", expected ≥ 0");
    this.vad = new Vad(config);
    this.minSpeechMillis = minSpeechMillis;
  }

  /**
   * One frame of {@link VadConfig#frameSamples()} samples.
   *
   * @return true on the frame that ends a turn long enough to count
   */
  public boolean process(short[] pcm, int offset) {
    int speechBefore = vad.speechMillis();
    boolean now = vad.process(pcm, offset);
    boolean ended = speaking && !now;
    speaking = now;
    if (!ended) return false;
    // the VAD counts its hangover as speech: take the trailing silence off
    lastTurnMillis = Math.max(0, speechBefore + vad.config().frameMillis() - vad.silenceMillis());
    return lastTurnMillis >= minSpeechMillis;
  }

  /** Whether the speaker is talking now. */
  public boolean isSpeaking() {
    return speaking;
  }

  /** How long the last turn's speech lasted, in milliseconds (valid after {@link #process} returned true). */
  public int lastTurnMillis() {
    return lastTurnMillis;
  }

  /** Silence since the last active frame, in milliseconds: how long ago the speech really ended. */
  public int trailingSilenceMillis() {
    return vad.silenceMillis();
  }

  public void reset() {
    vad.reset();
    speaking = false;
    lastTurnMillis = 0;
  }
}
