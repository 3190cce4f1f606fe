package io.voiceagent.core.call;

import java.util.Locale;

/**
 * A call's status, exactly as SPEC draws it:
 * <pre>
 * dialing → ringing ⇄ early_media → answered → completed
 *    └──────────┴──────────┴→ busy | rejected | no_answer | canceled | failed
 * </pre>
 * Any state before {@code answered} may skip ahead (answered without ringing) or end; {@code ringing} and
 * {@code early_media} may alternate; {@code answered} ends only as {@code completed}. Final states absorb:
 * nothing leaves them. A state to itself is not a transition (a repeated 180 changes nothing).
 */
public enum CallStatus {
  DIALING, RINGING, EARLY_MEDIA, ANSWERED,
  COMPLETED, BUSY, REJECTED, NO_ANSWER, CANCELED, FAILED;

  public boolean isFinal() {
    return ordinal() >= COMPLETED.ordinal();
  }

  /** Dialing, ringing or early media: not yet answered, not yet over. */
  public boolean isBeforeAnswer() {
    return this == DIALING || this == RINGING || this == EARLY_MEDIA;
  }

  /** Whether {@code this → next} is legal. */
  public boolean canTransitionTo(CallStatus next) {
    if (next == this || isFinal()) return false;
    switch (this) {
      case DIALING:
      case RINGING:
      case EARLY_MEDIA:
        return next != DIALING && next != COMPLETED;
      case ANSWERED:
        return next == COMPLETED;
      default:
        return false;
    }
  }

  /** {@code next} if the transition is legal, else an {@link IllegalStateException} naming both states. */
  public CallStatus transitionTo(CallStatus next) {
    if (!canTransitionTo(next)) {
      throw new IllegalStateException("illegal call status transition " + wireName() + " → " + next.wireName());
    }
    return next;
  }

  /** The SPEC's name: {@code early_media}, {@code no_answer}, … */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static CallStatus fromWireName(String name) {
    for (CallStatus s : values()) {
      if (s.wireName().equals(name)) return s;
    }
    throw new IllegalArgumentException("unknown call status '" + name + "'");
  }
}
