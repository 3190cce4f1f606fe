package io.voiceagent.core.call;

import java.util.List;

/**
 * How quickly the agent came and answered, in milliseconds; null where not measured yet.
 *
 * @param answerToAiReadyMs        from the 200 OK to the AI session being ready (includes detection)
 * @param aiReadyToFirstAudioMs    from the session being ready to the agent's first audio
 * @param turnMs                   per callee turn: end of callee speech (VAD) to the agent's first audio
 */
public record CallLatency(Long answerToAiReadyMs, Long aiReadyToFirstAudioMs, List<Long> turnMs) {
  public static final CallLatency NONE = new CallLatency(null, null, List.of());

  public CallLatency {
    turnMs = List.copyOf(turnMs);
  }

  public CallLatency withAiReady(long ms) {
    return new CallLatency(ms, aiReadyToFirstAudioMs, turnMs);
  }

  public CallLatency withFirstAudio(long ms) {
    return new CallLatency(answerToAiReadyMs, ms, turnMs);
  }

  public CallLatency withTurn(long ms) {
    var more = new java.util.ArrayList<>(turnMs);
    more.add(ms);
    return new CallLatency(answerToAiReadyMs, aiReadyToFirstAudioMs, more);
  }
}
