package io.voiceagent.sip;

import io.voiceagent.core.call.CallId;
import io.voiceagent.core.telephony.TelephonyListener;
import java.time.Duration;
import java.util.Objects;

/**
 * What an {@link InboundCallPolicy} decided about an inbound INVITE: reject it with a final status, or accept
 * it as a call with its own id and listener.
 */
public final class InboundDecision {
  private final int rejectCode;
  private final CallId callId;
  private final TelephonyListener listener;
  private final Duration ringFor;

  private InboundDecision(int rejectCode, CallId callId, TelephonyListener listener, Duration ringFor) {
    this.rejectCode = rejectCode;
    this.callId = callId;
    this.listener = listener;
    this.ringFor = ringFor;
  }

  /**
   * Rejects the INVITE statelessly (nothing about it is kept).
   *
   * @param sipCode a final failure status, 400..699 (486 busy, 603 decline, 403 forbidden, 404 not found…)
   */
  public static InboundDecision reject(int sipCode) {
    if (sipCode < 400 || sipCode > 699) {
      throw new IllegalArgumentException("reject code " + sipCode + " is not a SIP failure status (400..699)");
    }
    return new InboundDecision(sipCode, null, null, Duration.ZERO);
  }

  /**
   * Accepts the call at once: the user agent answers 200 with SDP; once the caller's ACK arrives,
   * {@code listener} gets {@link TelephonyListener#answered} with the call's media, and later exactly one
   * {@link TelephonyListener#ended}. {@code callId} names the call in {@link SipUserAgent#hangup},
   * {@link SipUserAgent#sendDtmf} and {@link SipUserAgent#mediaStats}.
   */
  public static InboundDecision accept(CallId callId, TelephonyListener listener) {
    return accept(callId, listener, Duration.ZERO);
  }

  /**
   * Like {@link #accept(CallId, TelephonyListener)}, but rings first: 180 at once, 200 after {@code ringFor}
   * (a person picking up). A CANCEL meanwhile ends the call with {@code remote_hangup} and SIP code 487.
   */
  public static InboundDecision accept(CallId callId, TelephonyListener listener, Duration ringFor) {
    Objects.requireNonNull(callId, "callId");
    Objects.requireNonNull(listener, "listener");
    Objects.requireNonNull(ringFor, "ringFor");
    if (ringFor.isNegative()) throw new IllegalArgumentException("ringFor is " + ringFor + ", expected ≥ 0");
    return new InboundDecision(0, callId, listener, ringFor);
  }

  public boolean isAccepted() {
    return listener != null;
  }

  /** The status to reject with; 0 when accepted. */
  public int rejectCode() {
    return rejectCode;
  }

  /** The accepted call's id, or null when rejected. */
  public CallId callId() {
    return callId;
  }

  /** The accepted call's listener, or null when rejected. */
  public TelephonyListener listener() {
    return listener;
  }

  /** How long to ring before answering; zero answers at once. */
  public Duration ringFor() {
    return ringFor;
  }

  @Override public String toString() {
    return isAccepted() ? "accept(" + callId + ", ring " + ringFor + ")" : "reject(" + rejectCode + ")";
  }
}
