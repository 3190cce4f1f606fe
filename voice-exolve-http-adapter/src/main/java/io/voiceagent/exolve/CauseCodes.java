package io.voiceagent.exolve;

import io.voiceagent.core.call.EndReason;
import io.voiceagent.core.telephony.TelephonyEnd;

/**
 * Q.850 cause codes of Exolve's end events mapped to SPEC's end reasons, as one integrator reads them [3P]:
 * 16 normal clearing, 17 busy, 18/19 no answer, 21 rejected, 1 unallocated number. Anything else ends the call
 * with {@code error} and a message naming the cause.
 */
final class CauseCodes {
  private CauseCodes() {}

  /**
   * The end of a call whose end event carried {@code cause} (null when it had none).
   *
   * @param answered whether the core was told the call was answered
   * @param legUp    whether our audio leg was up (for the message when Exolve ends a call before it reached us)
   */
  static TelephonyEnd end(Integer cause, boolean answered, boolean legUp) {
    if (cause == null) {
      return answered ? TelephonyEnd.of(EndReason.REMOTE_HANGUP)
          : new TelephonyEnd(EndReason.REMOTE_HANGUP, null, "Exolve ended the call before the callee was connected"
              + " (its end event had no cause_code)" + (legUp ? "" : "; the audio leg never reached our SIP user agent"));
    }
    switch (cause) {
      case 17: return new TelephonyEnd(EndReason.BUSY, null, null);
      case 18: case 19: return new TelephonyEnd(EndReason.NO_ANSWER, null, null);
      case 21: return new TelephonyEnd(EndReason.REJECTED, null, null);
      case 1: return new TelephonyEnd(EndReason.NOT_FOUND, null, "Q.850 cause 1 (unallocated number)");
      case 16:
        if (answered) return TelephonyEnd.of(EndReason.REMOTE_HANGUP);
        return new TelephonyEnd(EndReason.REMOTE_HANGUP, null, "Exolve ended the call (Q.850 cause 16, normal "
            + "clearing) before the callee was connected" + (legUp ? "" : "; the audio leg never reached our SIP user agent"));
      default:
        if (answered) return new TelephonyEnd(EndReason.REMOTE_HANGUP, null, "Q.850 cause " + cause + " (" + name(cause) + ")");
        return TelephonyEnd.error("Exolve ended the call: Q.850 cause " + cause + " (" + name(cause) + ")");
    }
  }

  /** The ITU-T Q.850 name of a common cause. */
  static String name(int cause) {
    switch (cause) {
      case 1: return "unallocated number";
      case 3: return "no route to destination";
      case 16: return "normal clearing";
      case 17: return "user busy";
      case 18: return "no user responding";
      case 19: return "no answer from user";
      case 20: return "subscriber absent";
      case 21: return "call rejected";
      case 22: return "number changed";
      case 27: return "destination out of order";
      case 28: return "invalid number format";
      case 31: return "normal, unspecified";
      case 34: return "no circuit available";
      case 38: return "network out of order";
      case 41: return "temporary failure";
      case 42: return "switching equipment congestion";
      case 47: return "resource unavailable";
      case 57: return "bearer capability not authorised";
      case 88: return "incompatible destination";
      case 102: return "recovery on timer expiry";
      case 127: return "interworking, unspecified";
      default: return "unknown cause";
    }
  }
}
