package io.voiceagent.core.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * G.711 against a real peer: files made by {@code sox -D} ({@code scripts/make-g711-golden.sh}). Decoding must
 * agree everywhere; encoding differs exactly on the inputs listed in {@code g711/sox-differences.txt}, each
 * explained by sox rounding where G.191 truncates.
 */
class G711SoxGoldenTest {

  static byte[] resource(String name) throws IOException {
    try (InputStream in = G711SoxGoldenTest.class.getResourceAsStream("/g711/" + name)) {
      assertNotNull(in, name);
      return name.endsWith(".gz") ? new GZIPInputStream(in).readAllBytes() : in.readAllBytes();
    }
  }

  static Map<String, TreeSet<Integer>> listedDifferences() throws IOException {
    Map<String, TreeSet<Integer>> listed = new TreeMap<>();
    for (String line : new String(resource("sox-differences.txt"), StandardCharsets.UTF_8).split("\n")) {
      if (line.isBlank() || line.startsWith("#")) continue;
      String[] f = line.trim().split(" ");
      for (int x = Integer.parseInt(f[1]); x <= Integer.parseInt(f[2]); x++) {
        listed.computeIfAbsent(f[0], k -> new TreeSet<>()).add(x);
      }
    }
    return listed;
  }

  @Test void givenEveryCode_whenDecoded_thenSameAsSox() throws IOException {
    for (G711.Law law : G711.Law.values()) {
      byte[] golden = resource(law == G711.Law.ULAW ? "sox-ulaw-decode.s16" : "sox-alaw-decode.s16");
      assertEquals(512, golden.length);
      for (int c = 0; c < 256; c++) {
        short sox = (short) ((golden[2 * c] & 0xFF) | (golden[2 * c + 1] << 8));
        short ours = law == G711.Law.ULAW ? G711.ulawToLinear((byte) c) : G711.alawToLinear((byte) c);
        assertEquals(sox, ours, law + " code " + c);
      }
    }
  }

  @Test void givenEvery16BitSample_whenEncoded_thenDiffersFromSoxExactlyWhereListedAndAsExplained()
      throws IOException {
    Map<String, TreeSet<Integer>> listed = listedDifferences();
    byte[] ulaw = resource("sox-ulaw-encode.bin.gz");
    byte[] alaw = resource("sox-alaw-encode.bin.gz");
    assertEquals(65536, ulaw.length);
    assertEquals(65536, alaw.length);
    TreeSet<Integer> ulawDiffs = new TreeSet<>();
    TreeSet<Integer> alawDiffs = new TreeSet<>();
    for (int x = -32768; x <= 32767; x++) {
      int soxU = ulaw[x + 32768] & 0xFF;
      int soxA = alaw[x + 32768] & 0xFF;
      if ((G711.linearToUlaw(x) & 0xFF) != soxU) {
        ulawDiffs.add(x);
        // sox rounds half a 14-bit step away from zero where G.191 truncates; −1 and −2 round to +0
        int expected = x == -1 || x == -2 ? 0xFF : G711Test.refUlawCompress(x >= 0 ? Math.min(x + 2, 32767) : x - 2);
        assertEquals(expected, soxU, "µ-law " + x + " explained");
        assertEquals(1, levelDistance(G711.Law.ULAW, soxU, G711.linearToUlaw(x) & 0xFF) + (x < 0 && x >= -2 ? 1 : 0),
            "µ-law " + x + ": one level apart (or ±0)");
      }
      if ((G711.linearToAlaw(x) & 0xFF) != soxA) {
        alawDiffs.add(x);
        assertEquals(G711Test.refAlawCompress(Math.min(x + 4, 32767)), soxA, "A-law " + x + " explained");
        assertEquals(1, levelDistance(G711.Law.ALAW, soxA, G711.linearToAlaw(x) & 0xFF), "A-law " + x + " one level");
      }
    }
    assertEquals(listed.get("ulaw"), ulawDiffs, "µ-law differences as listed");
    assertEquals(listed.get("alaw"), alawDiffs, "A-law differences as listed");
    assertEquals(510, ulawDiffs.size());
    assertEquals(1020, alawDiffs.size());
  }

  /** How many quantization levels apart two codes decode (0 for +0/−0). */
  private static int levelDistance(G711.Law law, int a, int b) {
    TreeSet<Integer> levels = new TreeSet<>();
    for (int c = 0; c < 256; c++) {
      levels.add((int) (law == G711.Law.ULAW ? G711.ulawToLinear((byte) c) : G711.alawToLinear((byte) c)));
    }
    int la = law == G711.Law.ULAW ? G711.ulawToLinear((byte) a) : G711.alawToLinear((byte) a);
    int lb = law == G711.Law.ULAW ? G711.ulawToLinear((byte) b) : G711.alawToLinear((byte) b);
    int d = levels.subSet(Math.min(la, lb), true, Math.max(la, lb), true).size() - 1;
    assertTrue(d >= 0);
    return d;
  }
}
