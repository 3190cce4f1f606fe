package io.voiceagent.app.sandbox;

/**
 * Finds the end of a speaker's turn in 20 ms frames: speech (mean magnitude above a threshold) for at
 * least {@code minSpeechFrames}, then silence for {@code endSilenceFrames}. Single-threaded.
 */
final class TurnDetector {
  private static final int THRESHOLD = 300;
  private final int minSpeechFrames;
  private final int endSilenceFrames;
  private int speech;
  private int silence;

  TurnDetector(int minSpeechMillis, int endSilenceMillis) {
    this.minSpeechFrames = minSpeechMillis / 20;
    this.endSilenceFrames = endSilenceMillis / 20;
  }

  /** One frame; true when it ends a turn. Returns the turn's speech length via {@link #lastTurnMillis}. */
  boolean frame(short[] pcm, int offset, int length) {
    long sum = 0;
    for (int i = offset; i < offset + length; i++) sum += Math.abs(pcm[i]);
    boolean loud = length > 0 && sum / length > THRESHOLD;
    if (loud) {
      speech++;
      silence = 0;
      return false;
    }
    if (speech == 0) return false;
    silence++;
    if (silence < endSilenceFrames) return false;
    boolean turn = speech >= minSpeechFrames;
    last = speech * 20;
    speech = 0;
    silence = 0;
    return turn;
  }

  private int last;

  int lastTurnMillis() {
    return last;
  }
}
