package io.voiceagent.elevenlabs;

/**
 * Standard base64 (RFC 4648, padded) written straight into a caller's byte array, so an audio chunk becomes
 * its JSON frame without intermediate strings. {@link java.util.Base64} cannot write at an offset.
 */
final class Base64Ascii {
  private static final byte[] ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  private Base64Ascii() {}

  /** Bytes that {@code length} input bytes take encoded. */
  static int encodedLength(int length) {
    return (length + 2) / 3 * 4;
  }

  /** Encodes {@code src[off, off+len)} into {@code dst} at {@code dstOff}; returns the bytes written. */
  static int encode(byte[] src, int off, int len, byte[] dst, int dstOff) {
    int s = off;
    int d = dstOff;
    int end = off + len - len % 3;
    while (s < end) {
      int bits = (src[s] & 0xFF) << 16 | (src[s + 1] & 0xFF) << 8 | (src[s + 2] & 0xFF);
      s += 3;
      dst[d++] = ALPHABET[bits >>> 18];
      dst[d++] = ALPHABET[(bits >>> 12) & 0x3F];
      dst[d++] = ALPHABET[(bits >>> 6) & 0x3F];
      dst[d++] = ALPHABET[bits & 0x3F];
    }
    int rest = off + len - s;
    if (rest == 1) {
      int bits = (src[s] & 0xFF) << 16;
      dst[d++] = ALPHABET[bits >>> 18];
      dst[d++] = ALPHABET[(bits >>> 12) & 0x3F];
      dst[d++] = '=';
      dst[d++] = '=';
    } else if (rest == 2) {
      int bits = (src[s] & 0xFF) << 16 | (src[s + 1] & 0xFF) << 8;
      dst[d++] = ALPHABET[bits >>> 18];
      dst[d++] = ALPHABET[(bits >>> 12) & 0x3F];
      dst[d++] = ALPHABET[(bits >>> 6) & 0x3F];
      dst[d++] = '=';
    }
    return d - dstOff;
  }
}
