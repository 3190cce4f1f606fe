package io.voiceagent.core.audio;

import java.util.Objects;

/**
 * ITU-T G.711 µ-law (PCMU) and A-law (PCMA), table-driven and bit-exact to the ITU-T G.191 STL reference
 * ({@code g711.c}: {@code ulaw_compress}, {@code ulaw_expand}, {@code alaw_compress}, {@code alaw_expand}).
 *
 * <p>The encoder truncates (it is not a nearest-level quantizer) and takes negative input as one's complement,
 * exactly as the reference does; full-scale input clips to the largest code instead of wrapping (the JDK's
 * {@code javax.sound} µ-law encoder wraps and is no oracle). Samples are on the 16-bit scale: µ-law uses the top
 * 14 bits, A-law the top 13.
 *
 * <p>The direct A-law ↔ µ-law tables are the reference tandem: decode with the one law's expander, encode with
 * the other's compressor. That is what a PCMA call feeding a µ-law agent would get through PCM, at one lookup.
 *
 * <p>All tables are built once at class initialisation (130 KiB); every method is allocation-free and
 * thread-safe.
 */
public final class G711 {
  /** The two companding laws. */
  public enum Law {
    /** µ-law, PCMU, RTP payload type 0. */
    ULAW,
    /** A-law, PCMA, RTP payload type 8. */
    ALAW
  }

  /** µ-law code of digital silence (+0). */
  public static final byte ULAW_SILENCE = (byte) 0xFF;
  /** A-law code of the smallest positive level (+8); A-law has no zero. */
  public static final byte ALAW_SILENCE = (byte) 0xD5;

  private static final byte[] LINEAR_TO_ULAW = new byte[65536]; // index: sample & 0xFFFF
  private static final byte[] LINEAR_TO_ALAW = new byte[65536];
  private static final short[] ULAW_TO_LINEAR = new short[256];
  private static final short[] ALAW_TO_LINEAR = new short[256];
  private static final byte[] ALAW_TO_ULAW = new byte[256];
  private static final byte[] ULAW_TO_ALAW = new byte[256];

  static {
    for (int code = 0; code < 256; code++) {
      ULAW_TO_LINEAR[code] = (short) ulawExpand(code);
      ALAW_TO_LINEAR[code] = (short) alawExpand(code);
    }
    for (int x = Short.MIN_VALUE; x <= Short.MAX_VALUE; x++) {
      LINEAR_TO_ULAW[x & 0xFFFF] = (byte) ulawCompress(x);
      LINEAR_TO_ALAW[x & 0xFFFF] = (byte) alawCompress(x);
    }
    for (int code = 0; code < 256; code++) {
      ALAW_TO_ULAW[code] = (byte) ulawCompress(ALAW_TO_LINEAR[code]);
      ULAW_TO_ALAW[code] = (byte) alawCompress(ULAW_TO_LINEAR[code]);
    }
  }

  private G711() {}

  /** µ-law code of a 16-bit sample; values outside the 16-bit range are clipped first. */
  public static byte linearToUlaw(int sample16) {
    return LINEAR_TO_ULAW[clip(sample16) & 0xFFFF];
  }

  /** The 16-bit level a µ-law code stands for (at most ±32124). */
  public static short ulawToLinear(byte code) {
    return ULAW_TO_LINEAR[code & 0xFF];
  }

  /** A-law code of a 16-bit sample; values outside the 16-bit range are clipped first. */
  public static byte linearToAlaw(int sample16) {
    return LINEAR_TO_ALAW[clip(sample16) & 0xFFFF];
  }

  /** The 16-bit level an A-law code stands for (at most ±32256). */
  public static short alawToLinear(byte code) {
    return ALAW_TO_LINEAR[code & 0xFF];
  }

  /** A-law code to µ-law code: {@code linearToUlaw(alawToLinear(code))} in one lookup. */
  public static byte alawToUlaw(byte code) {
    return ALAW_TO_ULAW[code & 0xFF];
  }

  /** µ-law code to A-law code: {@code linearToAlaw(ulawToLinear(code))} in one lookup. */
  public static byte ulawToAlaw(byte code) {
    return ULAW_TO_ALAW[code & 0xFF];
  }

  /** The code of silence for {@code law}. */
  public static byte silence(Law law) {
    return law == Law.ULAW ? ULAW_SILENCE : ALAW_SILENCE;
  }

  /** Encodes {@code samples} samples of {@code pcm} from {@code pcmOffset} into {@code out} from {@code outOffset}. */
  public static void encode(Law law, short[] pcm, int pcmOffset, byte[] out, int outOffset, int samples) {
    Objects.checkFromIndexSize(pcmOffset, samples, pcm.length);
    Objects.checkFromIndexSize(outOffset, samples, out.length);
    byte[] table = table(law);
    for (int i = 0; i < samples; i++) {
      out[outOffset + i] = table[pcm[pcmOffset + i] & 0xFFFF];
    }
  }

  /** Decodes {@code samples} codes of {@code in} from {@code inOffset} into {@code out} from {@code outOffset}. */
  public static void decode(Law law, byte[] in, int inOffset, short[] out, int outOffset, int samples) {
    Objects.checkFromIndexSize(inOffset, samples, in.length);
    Objects.checkFromIndexSize(outOffset, samples, out.length);
    short[] table = law == Law.ULAW ? ULAW_TO_LINEAR : law == Law.ALAW ? ALAW_TO_LINEAR : nullLaw();
    for (int i = 0; i < samples; i++) {
      out[outOffset + i] = table[in[inOffset + i] & 0xFF];
    }
  }

  private static byte[] table(Law law) {
    if (law == Law.ULAW) return LINEAR_TO_ULAW;
    if (law == Law.ALAW) return LINEAR_TO_ALAW;
    return nullLaw();
  }

  private static <T> T nullLaw() {
    throw new NullPointerException("law is null, expected ULAW or ALAW");
  }

  private static int clip(int x) {
    return x > Short.MAX_VALUE ? Short.MAX_VALUE : x < Short.MIN_VALUE ? Short.MIN_VALUE : x;
  }

  // --- G.191 STL algorithms, used only to fill the tables ---

  private static int ulawCompress(int x) {
    int absno = x < 0 ? ((~x) >> 2) + 33 : (x >> 2) + 33; // one's complement of negatives, as the STL does
    if (absno > 0x1FFF) absno = 0x1FFF;
    int i = absno >> 6;
    int segno = 1;
    while (i != 0) {
      segno++;
      i >>= 1;
    }
    int high = (8 - segno) << 4;
    int low = 0x0F - ((absno >> segno) & 0x0F);
    int code = high | low;
    return x >= 0 ? code | 0x80 : code;
  }

  private static int ulawExpand(int code) {
    int sign = code < 0x80 ? -1 : 1;
    int mantissa = ~code & 0xFF; // undo the complement
    int exponent = (mantissa >> 4) & 0x07;
    int segment = exponent + 1;
    mantissa &= 0x0F;
    int step = 4 << segment;
    return sign * (((0x80 << exponent) + step * mantissa + step / 2 - 4 * 33));
  }

  private static int alawCompress(int x) {
    int ix = x < 0 ? (~x) >> 4 : x >> 4;
    if (ix > 15) {
      int iexp = 1;
      while (ix > 16 + 15) {
        ix >>= 1;
        iexp++;
      }
      ix -= 16;
      ix += iexp << 4;
    }
    if (x >= 0) ix |= 0x80;
    return ix ^ 0x55;
  }

  private static int alawExpand(int code) {
    int ix = code ^ 0x55;
    ix &= 0x7F;
    int iexp = ix >> 4;
    int mant = ix & 0x0F;
    if (iexp > 0) mant += 16;
    mant = (mant << 4) + 0x08;
    if (iexp > 1) mant <<= iexp - 1;
    return (code ^ 0x55) > 127 ? mant : -mant;
  }
}
