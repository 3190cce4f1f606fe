package io.voiceagent.rtp;

/**
 * A parsed RTP header (RFC 3550 §5.1), reused for every packet: {@link #parse} fills the fields and says
 * whether the packet is well formed. It checks everything a header can get wrong — version, CSRC count,
 * header extension and padding against the length — but not the payload type, which depends on what was
 * negotiated.
 *
 * <p>Not thread-safe: one instance per receive thread.
 */
final class RtpHeader {
  static final int HEADER_BYTES = 12;

  /** {@link #parse} results. */
  static final int OK = 0;
  static final int TOO_SHORT = 1;
  static final int BAD_VERSION = 2;
  static final int BAD_CSRC = 3;
  static final int BAD_EXTENSION = 4;
  static final int BAD_PADDING = 5;
  static final int NO_PAYLOAD = 6;

  boolean marker;
  int payloadType;
  int sequence;        // 0..65535
  int timestamp;       // 32 bits, compare with wrap-around arithmetic
  long ssrc;           // 0..2^32-1
  int payloadOffset;
  int payloadLength;

  /** Parses {@code buf[off..off+len)}; the fields are valid only when it returns {@link #OK}. */
  int parse(byte[] buf, int off, int len) {
    if (len < HEADER_BYTES) return TOO_SHORT;
    int b0 = buf[off] & 0xFF;
    if ((b0 >>> 6) != 2) return BAD_VERSION;
    boolean padding = (b0 & 0x20) != 0;
    boolean extension = (b0 & 0x10) != 0;
    int csrcCount = b0 & 0x0F;
    int b1 = buf[off + 1] & 0xFF;
    marker = (b1 & 0x80) != 0;
    payloadType = b1 & 0x7F;
    sequence = ((buf[off + 2] & 0xFF) << 8) | (buf[off + 3] & 0xFF);
    timestamp = readInt(buf, off + 4);
    ssrc = readInt(buf, off + 8) & 0xFFFF_FFFFL;
    int pos = HEADER_BYTES + 4 * csrcCount;
    if (pos > len) return BAD_CSRC;
    if (extension) {
      if (pos + 4 > len) return BAD_EXTENSION;
      int words = ((buf[off + pos + 2] & 0xFF) << 8) | (buf[off + pos + 3] & 0xFF);
      pos += 4 + 4 * words;
      if (pos > len) return BAD_EXTENSION;
    }
    int end = len;
    if (padding) {
      int pad = buf[off + len - 1] & 0xFF;
      // the count includes itself, so 0 is invalid; it may not eat into the header
      if (pad == 0 || pad > len - pos) return BAD_PADDING;
      end = len - pad;
    }
    if (end <= pos) return NO_PAYLOAD;
    payloadOffset = off + pos;
    payloadLength = end - pos;
    return OK;
  }

  /** Writes a 12-byte header with no CSRC, extension or padding. */
  static void write(byte[] buf, int off, boolean marker, int payloadType, int sequence, int timestamp, long ssrc) {
    buf[off] = (byte) 0x80;
    buf[off + 1] = (byte) ((marker ? 0x80 : 0) | (payloadType & 0x7F));
    buf[off + 2] = (byte) (sequence >>> 8);
    buf[off + 3] = (byte) sequence;
    writeInt(buf, off + 4, timestamp);
    writeInt(buf, off + 8, (int) ssrc);
  }

  static int readInt(byte[] b, int off) {
    return ((b[off] & 0xFF) << 24) | ((b[off + 1] & 0xFF) << 16) | ((b[off + 2] & 0xFF) << 8) | (b[off + 3] & 0xFF);
  }

  static void writeInt(byte[] b, int off, int v) {
    b[off] = (byte) (v >>> 24);
    b[off + 1] = (byte) (v >>> 16);
    b[off + 2] = (byte) (v >>> 8);
    b[off + 3] = (byte) v;
  }

  static String describe(int result) {
    switch (result) {
      case OK: return "ok";
      case TOO_SHORT: return "shorter than the 12-byte header";
      case BAD_VERSION: return "version is not 2";
      case BAD_CSRC: return "CSRC list longer than the packet";
      case BAD_EXTENSION: return "header extension longer than the packet";
      case BAD_PADDING: return "padding count 0 or longer than the payload";
      case NO_PAYLOAD: return "no payload";
      default: return "result " + result;
    }
  }
}
