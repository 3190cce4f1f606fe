package io.voiceagent.sip;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** The digest algorithms of RFC 7616 that we answer, with their {@code -sess} forms. */
enum DigestAlgorithm {
  MD5("MD5", "MD5", false),
  MD5_SESS("MD5-sess", "MD5", true),
  SHA_256("SHA-256", "SHA-256", false),
  SHA_256_SESS("SHA-256-sess", "SHA-256", true),
  SHA_512_256("SHA-512-256", "SHA-512/256", false),
  SHA_512_256_SESS("SHA-512-256-sess", "SHA-512/256", true);

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private final String token;
  private final String jdkName;
  private final boolean session;

  DigestAlgorithm(String token, String jdkName, boolean session) {
    this.token = token;
    this.jdkName = jdkName;
    this.session = session;
  }

  /** The name as it appears in {@code algorithm=}. */
  String token() {
    return token;
  }

  /** Whether HA1 is re-hashed with the nonce and cnonce ({@code -sess}). */
  boolean isSession() {
    return session;
  }

  /**
   * The algorithm a challenge names; an absent {@code algorithm} means MD5 (RFC 7616 §3.3).
   *
   * @return null when we do not know the name
   */
  static DigestAlgorithm fromToken(String token) {
    if (token == null || token.isEmpty()) return MD5;
    for (DigestAlgorithm a : values()) {
      if (a.token.equalsIgnoreCase(token)) return a;
    }
    return null;
  }

  /** Lower-case hex of the hash of {@code text} in UTF-8. */
  String hex(String text) {
    return hex(text.getBytes(StandardCharsets.UTF_8));
  }

  String hex(byte[] data) {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance(jdkName);
    } catch (NoSuchAlgorithmException e) {
      // Every JDK 17 ships MD5, SHA-256 and SHA-512/256.
      throw new IllegalStateException(jdkName + " is missing from this JDK", e);
    }
    byte[] d = md.digest(data);
    char[] out = new char[d.length * 2];
    for (int i = 0; i < d.length; i++) {
      out[2 * i] = HEX[(d[i] >> 4) & 0xF];
      out[2 * i + 1] = HEX[d[i] & 0xF];
    }
    return new String(out);
  }

  @Override public String toString() {
    return token;
  }
}
