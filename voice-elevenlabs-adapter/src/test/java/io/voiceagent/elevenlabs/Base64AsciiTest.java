package io.voiceagent.elevenlabs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Base64AsciiTest {
  @Test void givenEveryLengthUpTo300_whenEncodedAtAnOffset_thenSameAsTheJdk() {
    Random random = new Random(42);
    for (int len = 0; len <= 300; len++) {
      byte[] src = new byte[len + 3];
      random.nextBytes(src);
      byte[] dst = new byte[5 + Base64Ascii.encodedLength(len)];
      int n = Base64Ascii.encode(src, 3, len, dst, 5);
      String expected = Base64.getEncoder().encodeToString(java.util.Arrays.copyOfRange(src, 3, 3 + len));
      assertEquals(expected.length(), n);
      assertEquals(expected, new String(dst, 5, n, StandardCharsets.US_ASCII), "length " + len);
    }
  }
}
