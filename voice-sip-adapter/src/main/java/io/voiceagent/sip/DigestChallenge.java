package io.voiceagent.sip;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One {@code WWW-Authenticate} (401) or {@code Proxy-Authenticate} (407) digest challenge.
 *
 * @param proxy     true for a 407: the answer goes in {@code Proxy-Authorization}
 * @param algorithm null when the server named an algorithm we do not know (we cannot answer it)
 * @param algorithmToken the algorithm as written, for messages
 * @param qop       the offered qop values in lower case; empty when the server sent none (RFC 2069 style)
 * @param opaque    echoed back verbatim, or null
 */
record DigestChallenge(boolean proxy, String realm, String nonce, String opaque, DigestAlgorithm algorithm,
    String algorithmToken, List<String> qop, boolean stale) {

  DigestChallenge {
    Objects.requireNonNull(realm, "realm");
    Objects.requireNonNull(nonce, "nonce");
    qop = List.copyOf(qop);
  }

  /**
   * Parses a header value such as {@code Digest realm="sip.exolve.ru", nonce="abc", qop="auth"}.
   *
   * @throws IllegalArgumentException naming the value when it is not a digest challenge with realm and nonce
   */
  static DigestChallenge parse(String value, boolean proxy) {
    Objects.requireNonNull(value, "value");
    String v = value.trim();
    int sp = v.indexOf(' ');
    String scheme = sp < 0 ? v : v.substring(0, sp);
    if (!scheme.equalsIgnoreCase("Digest")) {
      throw new IllegalArgumentException("authentication scheme '" + printable(scheme) + "' is not Digest");
    }
    String realm = null;
    String nonce = null;
    String opaque = null;
    String algorithm = null;
    String qopText = null;
    boolean stale = false;
    int i = sp < 0 ? v.length() : sp + 1;
    int n = v.length();
    while (i < n) {
      while (i < n && (v.charAt(i) == ' ' || v.charAt(i) == ',' || v.charAt(i) == '\t')) i++;
      if (i >= n) break;
      int eq = v.indexOf('=', i);
      if (eq < 0) throw new IllegalArgumentException("digest parameter without '=' in '" + printable(v) + "'");
      String name = v.substring(i, eq).trim().toLowerCase(Locale.ROOT);
      i = eq + 1;
      while (i < n && v.charAt(i) == ' ') i++;
      String val;
      if (i < n && v.charAt(i) == '"') {
        StringBuilder b = new StringBuilder();
        i++;
        boolean closed = false;
        while (i < n) {
          char c = v.charAt(i++);
          if (c == '\\' && i < n) {
            b.append(v.charAt(i++));
          } else if (c == '"') {
            closed = true;
            break;
          } else {
            b.append(c);
          }
        }
        if (!closed) throw new IllegalArgumentException("unterminated quoted value of " + name + " in '" + printable(v) + "'");
        val = b.toString();
      } else {
        int end = v.indexOf(',', i);
        if (end < 0) end = n;
        val = v.substring(i, end).trim();
        i = end;
      }
      switch (name) {
        case "realm": realm = val; break;
        case "nonce": nonce = val; break;
        case "opaque": opaque = val; break;
        case "algorithm": algorithm = val; break;
        case "qop": qopText = val; break;
        case "stale": stale = val.equalsIgnoreCase("true"); break;
        default: break; // domain, charset, userhash: not needed to answer
      }
    }
    if (realm == null) throw new IllegalArgumentException("digest challenge without realm: '" + printable(v) + "'");
    if (nonce == null) throw new IllegalArgumentException("digest challenge without nonce: '" + printable(v) + "'");
    List<String> qop = new ArrayList<>();
    if (qopText != null) {
      for (String q : qopText.split(",")) {
        String t = q.trim().toLowerCase(Locale.ROOT);
        if (!t.isEmpty()) qop.add(t);
      }
    }
    return new DigestChallenge(proxy, realm, nonce, opaque, DigestAlgorithm.fromToken(algorithm),
        algorithm == null ? "MD5" : algorithm, qop, stale);
  }

  private static String printable(String s) {
    String cut = s.length() > 200 ? s.substring(0, 200) + "…" : s;
    return cut.replaceAll("\\p{Cntrl}", "?");
  }
}
