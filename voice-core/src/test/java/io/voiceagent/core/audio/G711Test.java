package io.voiceagent.core.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * G.711 against a plain transcription of the ITU-T G.191 STL algorithms (written here, never the production
 * tables), over every 16-bit input and every code.
 */
class G711Test {

  // --- the reference, transcribed from G.191 g711.c as plainly as possible ---

  static int refUlawCompress(int x) {
    int magnitude = x >= 0 ? x : -x - 1; // one's complement: ~x == -x - 1
    int a = (magnitude >> 2) + 33;
    if (a > 8191) a = 8191;
    int s = 1 + (32 - Integer.numberOfLeadingZeros(a >> 6)); // 1 + bit length
    int code = ((8 - s) << 4) | (15 - ((a >> s) & 15));
    return x >= 0 ? code | 0x80 : code;
  }

  static int refUlawExpand(int code) {
    int c = ~code & 0xFF;
    int seg = (c >> 4) & 7;
    int m = c & 15;
    int t = ((m << 3) + 132) << seg;
    return (c & 0x80) != 0 ? -(t - 132) : t - 132;
  }

  static int refAlawCompress(int x) {
    int ix = (x >= 0 ? x : -x - 1) >> 4;
    if (ix > 15) {
      int e = 1;
      while (ix > 31) {
        ix >>= 1;
        e++;
      }
      ix = ix - 16 + (e << 4);
    }
    if (x >= 0) ix |= 0x80;
    return ix ^ 0x55;
  }

  static int refAlawExpand(int code) {
    int c = code ^ 0x55;
    int seg = (c >> 4) & 7;
    int m = c & 15;
    int t = (m << 4) + 8;
    if (seg > 0) {
      t += 256;
      t <<= seg - 1;
    }
    return (c & 0x80) != 0 ? t : -t;
  }

  @Test void givenEvery16BitSample_whenEncodedToUlaw_thenMatchesG191() {
    for (int x = -32768; x <= 32767; x++) {
      assertEquals(refUlawCompress(x), G711.linearToUlaw(x) & 0xFF, "µ-law code of " + x);
    }
  }

  @Test void givenEvery16BitSample_whenEncodedToAlaw_thenMatchesG191() {
    for (int x = -32768; x <= 32767; x++) {
      assertEquals(refAlawCompress(x), G711.linearToAlaw(x) & 0xFF, "A-law code of " + x);
    }
  }

  @Test void givenEveryCode_whenDecoded_thenMatchesG191() {
    for (int c = 0; c < 256; c++) {
      assertEquals(refUlawExpand(c), G711.ulawToLinear((byte) c), "µ-law level of code " + c);
      assertEquals(refAlawExpand(c), G711.alawToLinear((byte) c), "A-law level of code " + c);
    }
  }

  @Test void givenEveryCode_whenTranscoded_thenEqualsReferenceTandem() {
    for (int c = 0; c < 256; c++) {
      assertEquals(refUlawCompress(refAlawExpand(c)), G711.alawToUlaw((byte) c) & 0xFF, "A→µ of code " + c);
      assertEquals(refAlawCompress(refUlawExpand(c)), G711.ulawToAlaw((byte) c) & 0xFF, "µ→A of code " + c);
    }
  }

  @Test void givenKnownPoints_whenCoded_thenMatchG711Facts() {
    assertEquals((byte) 0xFF, G711.linearToUlaw(0));
    assertEquals((byte) 0x7F, G711.linearToUlaw(-1)); // one's complement: −1 is "−0"
    assertEquals(0, G711.ulawToLinear((byte) 0x7F));
    assertEquals(32124, G711.ulawToLinear((byte) 0x80));
    assertEquals(-32124, G711.ulawToLinear((byte) 0x00));
    assertEquals((byte) 0xD5, G711.linearToAlaw(0));
    assertEquals((byte) 0x55, G711.linearToAlaw(-1));
    assertEquals(8, G711.alawToLinear((byte) 0xD5));
    assertEquals(32256, G711.alawToLinear((byte) 0xAA));
    // full scale clips to the loudest code instead of wrapping (javax.sound wraps)
    assertEquals((byte) 0x80, G711.linearToUlaw(32767));
    assertEquals((byte) 0x80, G711.linearToUlaw(100_000));
    assertEquals((byte) 0x00, G711.linearToUlaw(-32768));
  }

  @Test void givenEveryCode_whenRoundTripped_thenStlRoundTripHolds() {
    int ulawStable = 0;
    for (int c = 0; c < 256; c++) {
      if ((G711.linearToUlaw(G711.ulawToLinear((byte) c)) & 0xFF) == c) ulawStable++;
      assertEquals(c, G711.linearToAlaw(G711.alawToLinear((byte) c)) & 0xFF, "A-law round trip of " + c);
    }
    assertEquals(255, ulawStable, "only 0x7F (−0) should map to 0xFF");
  }

  @Test void givenFrame_whenEncodedAndDecodedInBulk_thenSameAsPerSample() {
    short[] pcm = new short[200];
    for (int i = 0; i < pcm.length; i++) pcm[i] = (short) (i * 331 - 30000);
    for (G711.Law law : G711.Law.values()) {
      byte[] codes = new byte[203];
      G711.encode(law, pcm, 20, codes, 3, 160);
      short[] back = new short[170];
      G711.decode(law, codes, 3, back, 10, 160);
      for (int i = 0; i < 160; i++) {
        byte expected = law == G711.Law.ULAW ? G711.linearToUlaw(pcm[20 + i]) : G711.linearToAlaw(pcm[20 + i]);
        assertEquals(expected, codes[3 + i], law + " sample " + i);
        short level = law == G711.Law.ULAW ? G711.ulawToLinear(expected) : G711.alawToLinear(expected);
        assertEquals(level, back[10 + i], law + " decoded sample " + i);
      }
    }
  }

  @Test void givenRangeOutsideArray_whenEncoded_thenIndexOutOfBounds() {
    assertThrows(IndexOutOfBoundsException.class,
        () -> G711.encode(G711.Law.ULAW, new short[160], 1, new byte[160], 0, 160));
    assertThrows(IndexOutOfBoundsException.class,
        () -> G711.decode(G711.Law.ALAW, new byte[160], 0, new short[100], 0, 160));
  }
}
