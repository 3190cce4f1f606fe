package io.voiceagent.core.amd;

import io.voiceagent.core.call.AmdVerdict;
import io.voiceagent.core.call.CallId;
import java.util.function.Consumer;

/**
 * Decides, from the callee audio after the 200 OK, whether a person or a machine answered. The core starts
 * one detection per answered call, feeds it every 20 ms frame and opens the AI only on its verdict.
 */
public interface AnsweringMachineDetector {
  /** Detection off: no verdict, the AI opens at once ({@code amd_result} stays null). */
  AnsweringMachineDetector OFF = (id, startNanos, verdict) -> null;

  /**
   * Starts watching a call answered at {@code startNanos} (the pacer clock).
   *
   * @param verdict gets the verdict exactly once (on the pacer thread); never called after {@link Detection#cancel}
   * @return the detection to feed, or null when detection is off for this call
   */
  Detection start(CallId id, long startNanos, Consumer<AmdVerdict> verdict);

  /** One call's detection. */
  interface Detection {
    /** One 20 ms frame of 8 kHz callee audio, on the pacer thread; the array is reused afterwards. */
    void observe(short[] pcm, long nowNanos);

    /** The call ended first: forget it. */
    void cancel();

    /**
     * After a {@code machine} verdict, when the agent is to leave a message: calls {@code ended} once the
     * greeting has ended (its beep is over, or a second of silence after it, or a cap has passed), with the
     * cause ({@code beep}, {@code silence}, {@code max_wait}). Until then the detection must go on being fed
     * frames. The callback runs on the pacer thread, never after {@link #cancel}, never for a
     * {@code human} or {@code notsure} verdict. May be called from any thread.
     *
     * <p>The default is for detectors that cannot tell: it calls {@code ended} at once with {@code unknown}.
     */
    default void awaitGreetingEnd(Consumer<String> ended) {
      ended.accept("unknown");
    }
  }
}
