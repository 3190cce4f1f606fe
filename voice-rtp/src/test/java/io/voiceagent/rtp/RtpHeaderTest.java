package io.voiceagent.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RtpHeaderTest {
  private final RtpHeader h = new RtpHeader();

  static byte[] packet(int firstByte, int payloadBytes, int extra) {
    byte[] b = new byte[12 + extra + payloadBytes];
    RtpHeader.write(b, 0, true, 0, 0xABCD, 0x12345678, 0xDEADBEEFL);
    b[0] = (byte) firstByte;
    return b;
  }

  @Test void givenPlainPacket_whenParsed_thenFieldsAndPayloadAreRead() {
    byte[] b = packet(0x80, 160, 0);
    assertEquals(RtpHeader.OK, h.parse(b, 0, b.length));
    assertTrue(h.marker);
    assertEquals(0, h.payloadType);
    assertEquals(0xABCD, h.sequence);
    assertEquals(0x12345678, h.timestamp);
    assertEquals(0xDEADBEEFL, h.ssrc);
    assertEquals(12, h.payloadOffset);
    assertEquals(160, h.payloadLength);
  }

  @Test void givenShortOrWrongVersion_whenParsed_thenRejected() {
    assertEquals(RtpHeader.TOO_SHORT, h.parse(new byte[11], 0, 11));
    byte[] v1 = packet(0x40, 160, 0);
    assertEquals(RtpHeader.BAD_VERSION, h.parse(v1, 0, v1.length));
    byte[] v0 = packet(0x00, 160, 0);
    assertEquals(RtpHeader.BAD_VERSION, h.parse(v0, 0, v0.length));
  }

  @Test void givenCsrcs_whenParsed_thenPayloadStartsAfterThemAndTooManyIsRejected() {
    byte[] two = packet(0x82, 160, 8);
    assertEquals(RtpHeader.OK, h.parse(two, 0, two.length));
    assertEquals(20, h.payloadOffset);
    assertEquals(160, h.payloadLength);
    byte[] fifteen = packet(0x8F, 0, 40); // claims 60 bytes of CSRC, has 40
    assertEquals(RtpHeader.BAD_CSRC, h.parse(fifteen, 0, fifteen.length));
  }

  @Test void givenExtension_whenParsed_thenSkippedAndOverlongIsRejected() {
    byte[] ext = packet(0x90, 160, 8); // extension header + 1 word
    ext[12] = (byte) 0xBE;
    ext[13] = (byte) 0xDE;
    ext[15] = 1;
    assertEquals(RtpHeader.OK, h.parse(ext, 0, ext.length));
    assertEquals(20, h.payloadOffset);
    assertEquals(160, h.payloadLength);
    ext[15] = 50; // 200 bytes of extension in a 180-byte packet
    assertEquals(RtpHeader.BAD_EXTENSION, h.parse(ext, 0, ext.length));
    byte[] cut = packet(0x90, 0, 2); // not even room for the extension header
    assertEquals(RtpHeader.BAD_EXTENSION, h.parse(cut, 0, cut.length));
  }

  @Test void givenPadding_whenParsed_thenPayloadExcludesItAndBadCountsAreRejected() {
    byte[] padded = packet(0xA0, 164, 0);
    padded[padded.length - 1] = 4;
    assertEquals(RtpHeader.OK, h.parse(padded, 0, padded.length));
    assertEquals(160, h.payloadLength);
    padded[padded.length - 1] = 0;
    assertEquals(RtpHeader.BAD_PADDING, h.parse(padded, 0, padded.length));
    padded[padded.length - 1] = (byte) 200; // more than the payload
    assertEquals(RtpHeader.BAD_PADDING, h.parse(padded, 0, padded.length));
    padded[padded.length - 1] = (byte) 164; // padding only
    assertEquals(RtpHeader.NO_PAYLOAD, h.parse(padded, 0, padded.length));
  }

  @Test void givenHeaderOnly_whenParsed_thenNoPayloadIsRejected() {
    byte[] b = packet(0x80, 0, 0);
    assertEquals(RtpHeader.NO_PAYLOAD, h.parse(b, 0, b.length));
  }
}
