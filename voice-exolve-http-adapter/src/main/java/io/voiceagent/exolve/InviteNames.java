package io.voiceagent.exolve;

import io.voiceagent.sip.InboundInvite;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Looks for a call's names (our call id, Exolve's {@code call_id}, a {@code call_sid} from its events) in an
 * inbound INVITE. A name counts only as a whole token (not inside a longer run of letters and digits), and
 * short names are ignored where a coincidence is plausible, so a match is certain, never a guess.
 */
final class InviteNames {
  /** Names shorter than this are not looked for across all headers (only in EXOLVE_LEG_MATCH_HEADER). */
  static final int MIN_SCANNED_LENGTH = 8;

  /** Transport and framing headers: their values are ours, the stack's or random, never a call's name. */
  private static final Set<String> SKIPPED = Set.of("via", "call-id", "cseq", "content-length", "max-forwards",
      "content-type", "supported", "allow", "user-agent", "session-expires", "min-se", "accept", "allow-events",
      "content-disposition", "require", "expires");

  private InviteNames() {}

  /** Whether {@code token} occurs in {@code text} with no letter or digit right before or after it. */
  static boolean namedIn(String text, String token) {
    if (text == null || token == null || token.isEmpty()) return false;
    int from = 0;
    while (true) {
      int at = text.indexOf(token, from);
      if (at < 0) return false;
      int end = at + token.length();
      boolean before = at == 0 || !Character.isLetterOrDigit(text.charAt(at - 1));
      boolean after = end == text.length() || !Character.isLetterOrDigit(text.charAt(end));
      if (before && after) return true;
      from = at + 1;
    }
  }

  /**
   * The first header (lower-case name, in name order) whose value names {@code token}, or null. Tokens shorter
   * than {@link #MIN_SCANNED_LENGTH} are never found here.
   */
  static String headerNaming(InboundInvite invite, String token) {
    if (token == null || token.length() < MIN_SCANNED_LENGTH) return null;
    for (Map.Entry<String, String> h : new TreeMap<>(invite.headers()).entrySet()) {
      if (SKIPPED.contains(h.getKey())) continue;
      if (namedIn(h.getValue(), token)) return h.getKey();
    }
    if (namedIn(invite.toUri(), token)) return "request/to uri";
    return null;
  }
}
