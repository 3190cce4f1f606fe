package io.voiceagent.core.amd;

import io.voiceagent.core.call.AmdResult;
import io.voiceagent.core.call.AmdVerdict;
import io.voiceagent.core.call.CallId;
import java.util.function.Consumer;

/**
 * One call's detection: Asterisk {@code app_amd}'s word and silence counting over {@link FrameClassifier}'s
 * per-frame verdicts, plus a beep rule, then (after a machine verdict) watching for the end of the greeting.
 *
 * <p>Threads: {@link #observe} runs on the pacer thread and owns every field but the two volatile ones;
 * {@link #cancel} and {@link #awaitGreetingEnd} may come from any thread. A callback that was already running
 * on the pacer when {@code cancel} was called may still finish; none starts afterwards.
 */
final class EnergyDetection implements AnsweringMachineDetector.Detection {
  private enum Phase { ANALYSING, GREETING, DONE }

  /** A steady tone this long after some speech is a voicemail beep: no person whistles a sine. */
  static final int BEEP_MIN_MILLIS = 100;
  /** How far (relative) a tone's frequency may wander between frames and still be the same beep. */
  private static final double TONE_STEADINESS = 0.03;

  private final CallId id;
  private final AmdConfig cfg;
  private final long startNanos;
  private final Consumer<AmdVerdict> verdict;
  private final FrameClassifier frames;

  private volatile boolean canceled;
  private volatile Consumer<String> greetingEnded;

  // pacer thread only
  private Phase phase = Phase.ANALYSING;
  private boolean inInitialSilence = true;
  private boolean inGreeting;
  private boolean inWord;
  private int voiceMillis;             // all speech so far
  private int consecutiveVoiceMillis;  // the current word
  private int silenceMillis;           // the current run of silence
  private int words;
  private double toneHz;               // the current tone run's frequency
  private int toneMillis;              // the current tone run's length
  private boolean toneAfterSpeech;     // the current tone run began after the greeting's first word
  private boolean beepEnded;
  private long machineNanos;           // when the machine verdict came

  EnergyDetection(CallId id, AmdConfig cfg, long startNanos, Consumer<AmdVerdict> verdict) {
    this.id = id;
    this.cfg = cfg;
    this.startNanos = startNanos;
    this.verdict = verdict;
    this.frames = new FrameClassifier(cfg.silenceThreshold(), cfg.noiseFactor());
  }

  @Override public void observe(short[] pcm, long nowNanos) {
    if (canceled || phase == Phase.DONE) return;
    int ms = pcm.length / 8;
    frames.classify(pcm);
    boolean speech = frames.speech();
    trackTone(frames.toneHz(), ms);
    if (phase == Phase.ANALYSING) {
      analyse(speech, ms, nowNanos);
    } else {
      silenceMillis = speech ? 0 : silenceMillis + ms;
      if (speech) voiceMillis += ms;
      watchGreetingEnd(nowNanos);
    }
  }

  /** app_amd's rules, one frame at a time; the first rule that fires gives the verdict. */
  private void analyse(boolean speech, int ms, long nowNanos) {
    long elapsedMillis = (nowNanos - startNanos) / 1_000_000;
    if (elapsedMillis >= cfg.totalMillis()) {
      decide(AmdResult.NOTSURE, "too_long", nowNanos);
      return;
    }
    if (!speech) {
      silenceMillis += ms;
      // gaps shorter than between-words silence are bridged: they belong to the word (as app_amd counts them)
      if (silenceMillis < cfg.betweenWordsSilenceMillis() && inWord) {
        voiced(ms, nowNanos);
        return;
      }
      if (silenceMillis >= cfg.betweenWordsSilenceMillis()) {
        inWord = false;
        consecutiveVoiceMillis = 0;
      }
      if (inInitialSilence && silenceMillis >= cfg.initialSilenceMillis()) {
        decide(AmdResult.MACHINE, "initial_silence", nowNanos);
      } else if (inGreeting && silenceMillis >= cfg.afterGreetingSilenceMillis()) {
        decide(AmdResult.HUMAN, "after_greeting_silence", nowNanos);
      }
      return;
    }
    silenceMillis = 0;
    voiced(ms, nowNanos);
  }

  private void voiced(int ms, long nowNanos) {
    consecutiveVoiceMillis += ms;
    voiceMillis += ms;
    if (!inWord && consecutiveVoiceMillis >= cfg.minWordMillis()) {
      inWord = true;
      words++;
    }
    if (consecutiveVoiceMillis >= cfg.maxWordMillis()) {
      decide(AmdResult.MACHINE, "max_word_length", nowNanos);
    } else if (words > cfg.maxWords()) {
      decide(AmdResult.MACHINE, "max_words", nowNanos);
    } else if (inGreeting && voiceMillis >= cfg.greetingMillis()) {
      decide(AmdResult.MACHINE, "long_greeting", nowNanos);
    } else if (inGreeting && toneAfterSpeech && toneMillis >= BEEP_MIN_MILLIS) {
      decide(AmdResult.MACHINE, "beep", nowNanos);
    } else if (voiceMillis >= cfg.minWordMillis()) {
      inInitialSilence = false;
      inGreeting = true;
    }
  }

  private void trackTone(double hz, int ms) {
    if (hz > 0 && toneMillis > 0 && Math.abs(hz - toneHz) <= TONE_STEADINESS * toneHz) {
      toneMillis += ms;
      return;
    }
    if (toneMillis >= BEEP_MIN_MILLIS && toneAfterSpeech) beepEnded = true;
    if (hz > 0) {
      toneHz = hz;
      toneMillis = ms;
      toneAfterSpeech = inGreeting;
    } else {
      toneMillis = 0;
    }
  }

  private void decide(AmdResult result, String cause, long nowNanos) {
    phase = result == AmdResult.MACHINE ? Phase.GREETING : Phase.DONE;
    machineNanos = nowNanos;
    long millis = Math.max(0, (nowNanos - startNanos) / 1_000_000);
    if (canceled) return;
    verdict.accept(new AmdVerdict(result, cause, millis));
  }

  /** After a machine verdict: has the greeting ended (its beep is over, or silence after speech, or the cap)? */
  private void watchGreetingEnd(long nowNanos) {
    Consumer<String> listener = greetingEnded;
    if (listener == null) return;
    String cause;
    if (beepEnded) {
      cause = "beep";
    } else if (voiceMillis >= cfg.minWordMillis() && silenceMillis >= cfg.greetingEndSilenceMillis()) {
      // silence after a greeting, not before one that has yet to start (initial_silence) or after a click
      cause = "silence";
    } else if ((nowNanos - machineNanos) / 1_000_000 >= cfg.greetingEndMaxMillis()) {
      cause = "max_wait";
    } else {
      return;
    }
    phase = Phase.DONE;
    if (!canceled) listener.accept(cause);
  }

  @Override public void awaitGreetingEnd(Consumer<String> ended) {
    if (ended == null) throw new NullPointerException("ended");
    greetingEnded = ended;
  }

  @Override public void cancel() {
    canceled = true;
  }

  @Override public String toString() {
    return "EnergyDetection[" + id + ", " + phase + (canceled ? ", canceled" : "") + "]";
  }
}
