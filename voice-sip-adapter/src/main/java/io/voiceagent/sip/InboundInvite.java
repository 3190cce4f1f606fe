package io.voiceagent.sip;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Objects;

/**
 * A new INVITE that reached the user agent, as an {@link InboundCallPolicy} sees it.
 *
 * @param sipCallId   the SIP Call-ID
 * @param fromUri     the From URI, e.g. {@code sip:79123456789@sip.exolve.ru}
 * @param fromUser    the From URI's user part (the caller's number), or "" when it has none
 * @param toUri       the To URI
 * @param requestUser the Request-URI's user part (whom the call is for), or ""
 * @param source      the address the INVITE came from (the last hop)
 * @param headers     every other header by lower-case name, first value only; credentials are left out
 */
public record InboundInvite(String sipCallId, String fromUri, String fromUser, String toUri, String requestUser,
    InetSocketAddress source, Map<String, String> headers) {
  public InboundInvite {
    Objects.requireNonNull(sipCallId, "sipCallId");
    Objects.requireNonNull(fromUri, "fromUri");
    Objects.requireNonNull(fromUser, "fromUser");
    Objects.requireNonNull(toUri, "toUri");
    Objects.requireNonNull(requestUser, "requestUser");
    Objects.requireNonNull(source, "source");
    headers = Map.copyOf(headers);
  }

  /** A header's first value by name (any case), or null. */
  public String header(String name) {
    return headers.get(name.toLowerCase(java.util.Locale.ROOT));
  }
}
