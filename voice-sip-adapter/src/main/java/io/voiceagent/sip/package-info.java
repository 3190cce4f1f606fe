/**
 * The SIP user agent for MTS Exolve on jain-sip: the {@code sip} telephony provider
 * ({@link io.voiceagent.sip.SipTelephonyProvider}) and the user agent other modules embed
 * ({@link io.voiceagent.sip.SipUserAgent}) with its configuration ({@link io.voiceagent.sip.SipConfig}) and
 * inbound-call policy ({@link io.voiceagent.sip.InboundCallPolicy}). Registration, our own digest
 * authentication, INVITE/CANCEL/BYE, re-INVITE and RFC 4028 session timers live here; media is voice-rtp's.
 */
package io.voiceagent.sip;
