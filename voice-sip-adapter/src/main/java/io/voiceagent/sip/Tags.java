package io.voiceagent.sip;

import java.security.SecureRandom;

/** Random tokens for tags and SDP session ids. */
final class Tags {
  private static final SecureRandom RANDOM = new SecureRandom();

  private Tags() {}

  /** A From/To tag: 64 random bits as hex. */
  static String newTag() {
    return Long.toHexString(RANDOM.nextLong() | Long.MIN_VALUE);
  }

  /** A positive SDP session id. */
  static long sessionId() {
    return (RANDOM.nextLong() >>> 1) % 9_000_000_000L + 1_000_000_000L;
  }
}
