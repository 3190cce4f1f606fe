/**
 * Calls through MTS Exolve's HTTP API with a real audio leg: the {@code exolve-http} telephony provider
 * ({@link io.voiceagent.exolve.ExolveHttpTelephonyProvider}). {@code MakeCallback} rings the callee and our own
 * SIP account; the leg that reaches our SIP user agent (the SIP adapter's {@code SipUserAgent}) is matched to
 * its call without guessing and carries the call's audio. Call events come from Exolve's webhooks and from
 * {@code GetInfo} polling; a hang-up is a BYE on our leg. Everything but the provider is package-private.
 */
package io.voiceagent.exolve;
