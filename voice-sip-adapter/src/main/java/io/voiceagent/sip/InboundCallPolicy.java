package io.voiceagent.sip;

/**
 * Decides what happens to an inbound INVITE that starts a new call. The Exolve HTTP adapter accepts only
 * the callback leg it expects; the sandbox callee accepts everything on loopback. Without a policy, the
 * user agent rejects every inbound INVITE with 603, keeping no state.
 *
 * <p>Called on the user agent's {@code sip-control} thread, once per new INVITE (not for retransmissions
 * or re-INVITEs): it must be fast and must not block. An exception counts as {@code reject(500)}.
 */
@FunctionalInterface
public interface InboundCallPolicy {
  /** Rejects every INVITE with 603 Decline. */
  InboundCallPolicy REJECT_ALL = invite -> InboundDecision.reject(603);

  InboundDecision decide(InboundInvite invite);
}
