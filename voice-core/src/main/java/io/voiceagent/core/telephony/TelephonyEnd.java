package io.voiceagent.core.telephony;

import io.voiceagent.core.call.EndReason;
import java.util.Objects;

/**
 * How the telephony side ended a call.
 *
 * @param reason  {@code remote_hangup}, {@code busy} (486, 600), {@code rejected} (603), {@code no_answer}
 *                (408, 480, 487 after our CANCEL on timeout), {@code not_found} (404, 484, 604),
 *                {@code local_hangup} (our BYE or CANCEL completed), {@code media_timeout}, {@code error}
 * @param sipCode the final SIP code, or null
 * @param message human text for {@code error} ("authentication rejected by sip.exolve.ru"), or null
 */
public record TelephonyEnd(EndReason reason, Integer sipCode, String message) {
  public TelephonyEnd {
    Objects.requireNonNull(reason, "reason");
  }

  public static TelephonyEnd of(EndReason reason) {
    return new TelephonyEnd(reason, null, null);
  }

  public static TelephonyEnd error(String message) {
    return new TelephonyEnd(EndReason.ERROR, null, message);
  }

  /** SPEC's mapping of a final SIP response to a call that was not answered. */
  public static TelephonyEnd fromSipFailure(int code, String reasonPhrase) {
    switch (code) {
      case 486: case 600: return new TelephonyEnd(EndReason.BUSY, code, null);
      case 603: return new TelephonyEnd(EndReason.REJECTED, code, null);
      case 408: case 480: case 487: return new TelephonyEnd(EndReason.NO_ANSWER, code, null);
      case 404: case 484: case 604: return new TelephonyEnd(EndReason.NOT_FOUND, code, null);
      default:
        return new TelephonyEnd(EndReason.ERROR, code,
            "call failed: " + code + (reasonPhrase == null || reasonPhrase.isEmpty() ? "" : " " + reasonPhrase));
    }
  }
}
