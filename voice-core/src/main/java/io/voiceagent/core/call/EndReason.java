package io.voiceagent.core.call;

import java.util.Locale;

/** Why a call ended, as SPEC names it ({@code end_reason}). */
public enum EndReason {
  LOCAL_HANGUP, REMOTE_HANGUP, AGENT_HANGUP, AI_DISCONNECTED, MACHINE, MEDIA_TIMEOUT, MAX_DURATION,
  BUSY, REJECTED, NO_ANSWER, NOT_FOUND, ERROR;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * SPEC's table: the final status of a call that ends for this reason. An answered call always
   * completes; before answer our own hang-up is {@code canceled} and anything unexpected is {@code failed}.
   */
  public Outcome outcome(boolean answered) {
    if (answered) {
      switch (this) {
        case BUSY: case REJECTED: case NO_ANSWER: case NOT_FOUND:
          return new Outcome(CallStatus.COMPLETED, REMOTE_HANGUP);
        default:
          return new Outcome(CallStatus.COMPLETED, this);
      }
    }
    switch (this) {
      case BUSY: return new Outcome(CallStatus.BUSY, BUSY);
      case REJECTED: return new Outcome(CallStatus.REJECTED, REJECTED);
      case NO_ANSWER: return new Outcome(CallStatus.NO_ANSWER, NO_ANSWER);
      case LOCAL_HANGUP: return new Outcome(CallStatus.CANCELED, LOCAL_HANGUP);
      case NOT_FOUND: return new Outcome(CallStatus.FAILED, NOT_FOUND);
      default: return new Outcome(CallStatus.FAILED, ERROR);
    }
  }

  /** A final status with the end reason that goes with it. */
  public record Outcome(CallStatus status, EndReason reason) {}
}
