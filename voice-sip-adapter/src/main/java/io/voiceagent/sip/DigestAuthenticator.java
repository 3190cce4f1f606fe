package io.voiceagent.sip;

import io.voiceagent.core.config.Secret;
import java.security.SecureRandom;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Answers digest challenges (RFC 7616 as RFC 3261 uses it), in place of jain-sip's helper, which sends a
 * fixed cnonce and knows only MD5. MD5, SHA-256 and SHA-512-256 with their {@code -sess} forms;
 * {@code qop=auth}, {@code qop=auth-int} and no qop; a fresh random 64-bit cnonce per request; {@code nc}
 * counts the requests sent with one nonce and restarts at 1 for a new nonce.
 *
 * <p>Thread-safe: {@link #authorize} is synchronized; the nonce counter is the only mutable state. The
 * password is read only here and never appears in what this class returns other than hashed.
 */
final class DigestAuthenticator {
  private final String username;
  private final Secret password;
  private final Supplier<String> cnonces;

  // guarded by this: the nonce in use and how many requests we have sent with it
  private String lastNonce;
  private int nonceCount;

  DigestAuthenticator(String username, Secret password) {
    this(username, password, randomCnonces(new SecureRandom()));
  }

  DigestAuthenticator(String username, Secret password, Supplier<String> cnonces) {
    this.username = Objects.requireNonNull(username, "username");
    this.password = Objects.requireNonNull(password, "password");
    this.cnonces = Objects.requireNonNull(cnonces, "cnonces");
  }

  static Supplier<String> randomCnonces(SecureRandom random) {
    return () -> {
      byte[] b = new byte[8];
      random.nextBytes(b);
      StringBuilder s = new StringBuilder(16);
      for (byte x : b) s.append(String.format(Locale.ROOT, "%02x", x & 0xFF));
      return s.toString();
    };
  }

  /**
   * The {@code Authorization} (or {@code Proxy-Authorization}) value answering {@code challenge} for one
   * request.
   *
   * @param digestUri the Request-URI of the request being authorized
   * @param body      the request's body, used only for {@code qop=auth-int}; may be null
   * @throws SipAuthenticationException when the challenge names an algorithm or qop we cannot answer
   */
  synchronized String authorize(DigestChallenge challenge, String method, String digestUri, byte[] body) {
    DigestAlgorithm alg = challenge.algorithm();
    if (alg == null) {
      throw new SipAuthenticationException("the server asks for digest algorithm '" + challenge.algorithmToken()
          + "', expected one of MD5, SHA-256, SHA-512-256 (or their -sess forms)");
    }
    String qop;
    if (challenge.qop().isEmpty()) {
      qop = null;
    } else if (challenge.qop().contains("auth")) {
      qop = "auth";
    } else if (challenge.qop().contains("auth-int")) {
      qop = "auth-int";
    } else {
      throw new SipAuthenticationException("the server offers qop " + challenge.qop() + ", expected auth or auth-int");
    }
    if (!challenge.nonce().equals(lastNonce)) {
      lastNonce = challenge.nonce();
      nonceCount = 0;
    }
    nonceCount++;
    String nc = String.format(Locale.ROOT, "%08x", nonceCount);
    String cnonce = (qop != null || alg.isSession()) ? cnonces.get() : null;
    String response = response(alg, username, challenge.realm(), password, challenge.nonce(), nc, cnonce, qop,
        method, digestUri, body);

    StringBuilder h = new StringBuilder(256);
    h.append("Digest username=\"").append(quote(username))
        .append("\", realm=\"").append(quote(challenge.realm()))
        .append("\", nonce=\"").append(quote(challenge.nonce()))
        .append("\", uri=\"").append(quote(digestUri))
        .append("\", response=\"").append(response)
        .append("\", algorithm=").append(alg.token());
    if (cnonce != null) h.append(", cnonce=\"").append(cnonce).append('"');
    if (challenge.opaque() != null) h.append(", opaque=\"").append(quote(challenge.opaque())).append('"');
    if (qop != null) h.append(", qop=").append(qop).append(", nc=").append(nc);
    return h.toString();
  }

  /** RFC 7616 §3.4.1 response; {@code qop} null means the RFC 2069 form. */
  static String response(DigestAlgorithm alg, String username, String realm, Secret password, String nonce,
      String nc, String cnonce, String qop, String method, String uri, byte[] body) {
    String ha1 = alg.hex(username + ":" + realm + ":" + password.reveal());
    if (alg.isSession()) ha1 = alg.hex(ha1 + ":" + nonce + ":" + cnonce);
    String ha2 = "auth-int".equals(qop)
        ? alg.hex(method + ":" + uri + ":" + alg.hex(body == null ? new byte[0] : body))
        : alg.hex(method + ":" + uri);
    if (qop == null) return alg.hex(ha1 + ":" + nonce + ":" + ha2);
    return alg.hex(ha1 + ":" + nonce + ":" + nc + ":" + cnonce + ":" + qop + ":" + ha2);
  }

  private static String quote(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"");
  }
}
