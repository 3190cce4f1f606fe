package io.voiceagent.core.plc;

import java.util.Arrays;
import java.util.Objects;

/**
 * Packet-loss concealment after ITU-T G.711 Appendix I, on 10 ms frames of 8 kHz PCM.
 *
 * <p>Every frame goes through here, good or lost, in play order. For a lost frame the last pitch period
 * (40–120 samples, found by normalised cross-correlation over 20 ms, coarse on every second sample then refined
 * ±1) is repeated, its seam hidden by a ¼-period overlap-add; the 2nd and 3rd lost frames widen the repeated
 * span to 2 and 3 periods. The first 10 ms play at full gain, then the gain falls 20 % per 10 ms, reaching
 * silence at 60 ms. The first good frame after a loss is overlap-added with the continuing synthetic signal over
 * ¼ period plus 4 ms per extra lost frame (at most 10 ms).
 *
 * <p>The price is {@value #DELAY_SAMPLES} samples (3.75 ms) of delay: output lags input so that the start of a
 * loss can still reshape the last quarter period already "played".
 *
 * <p>Not thread-safe; allocation-free after construction.
 */
public final class G711Plc {
  /** Samples per frame: 10 ms at 8 kHz. */
  public static final int FRAME_SAMPLES = 80;
  /** Output delay in samples (3.75 ms). */
  public static final int DELAY_SAMPLES = 30;

  private static final int PITCH_MIN = 40;
  private static final int PITCH_MAX = 120;
  private static final int PITCH_DIFF = PITCH_MAX - PITCH_MIN;
  private static final int POVERLAP_MAX = PITCH_MAX >> 2; // 30
  private static final int HISTORY_LEN = PITCH_MAX * 3 + POVERLAP_MAX; // 390: 48.75 ms
  private static final int NDEC = 2;
  private static final int CORR_LEN = 160;
  private static final int CORR_BUF_LEN = CORR_LEN + PITCH_MAX;
  private static final float CORR_MIN_POWER = 250f;
  private static final int EOVERLAP_INCR = 32; // 4 ms
  private static final float ATTEN_FAC = 0.2f;
  private static final float ATTEN_INCR = ATTEN_FAC / FRAME_SAMPLES;
  private static final int MAX_ERASED_AUDIBLE = 5; // frames 0..5 carry sound; the 7th lost frame (60 ms) is silence

  private final short[] history = new short[HISTORY_LEN];
  private final float[] pitchBuf = new float[HISTORY_LEN]; // pitchBufEnd == HISTORY_LEN
  private final float[] lastQ = new float[POVERLAP_MAX];
  private final short[] tmp = new short[POVERLAP_MAX];
  private final short[] overlap = new short[FRAME_SAMPLES];
  private final short[] frameCopy = new short[FRAME_SAMPLES];

  private int erased;      // consecutive lost frames so far
  private int pitch;
  private int pOverlap;
  private int pOffset;
  private int pitchBLen;
  private int pitchBufStart; // index into pitchBuf

  /**
   * A good frame: {@code frame[offset..offset+80)} is read and replaced by the output for this tick (the
   * input delayed by {@value #DELAY_SAMPLES} samples, smoothed into after a loss).
   */
  public void good(short[] frame, int offset) {
    Objects.checkFromIndexSize(offset, FRAME_SAMPLES, frame.length);
    if (erased > 0) {
      int olen = pOverlap + (erased - 1) * EOVERLAP_INCR;
      if (olen > FRAME_SAMPLES) olen = FRAME_SAMPLES;
      getFeSpeech(overlap, 0, olen);
      overlapAddAtEnd(frame, offset, overlap, olen);
      erased = 0;
    }
    saveSpeech(frame, offset);
  }

  /** A lost frame: writes 80 samples of concealment into {@code out[offset..offset+80)}. */
  public void conceal(short[] out, int offset) {
    Objects.checkFromIndexSize(offset, FRAME_SAMPLES, out.length);
    if (erased == 0) {
      for (int i = 0; i < HISTORY_LEN; i++) pitchBuf[i] = history[i];
      pitch = findPitch();
      pOverlap = pitch >> 2;
      System.arraycopy(pitchBuf, HISTORY_LEN - pOverlap, lastQ, 0, pOverlap);
      pOffset = 0;
      pitchBLen = pitch;
      pitchBufStart = HISTORY_LEN - pitchBLen;
      overlapAdd(lastQ, pitchBuf, pitchBufStart - pOverlap, pitchBuf, HISTORY_LEN - pOverlap, pOverlap);
      // the reshaped last quarter period replaces what is still waiting in the delay line
      for (int i = 0; i < pOverlap; i++) {
        history[HISTORY_LEN - pOverlap + i] = clip(pitchBuf[HISTORY_LEN - pOverlap + i]);
      }
      getFeSpeech(out, offset, FRAME_SAMPLES);
    } else if (erased == 1 || erased == 2) {
      // widen the repeated span by one more period, overlap-added onto the tail of the previous one
      int saveOffset = pOffset;
      getFeSpeech(tmp, 0, pOverlap);
      pOffset = saveOffset;
      while (pOffset > pitch) pOffset -= pitch;
      pitchBLen += pitch;
      pitchBufStart = HISTORY_LEN - pitchBLen;
      overlapAdd(lastQ, pitchBuf, pitchBufStart - pOverlap, pitchBuf, HISTORY_LEN - pOverlap, pOverlap);
      getFeSpeech(out, offset, FRAME_SAMPLES);
      overlapAddShorts(tmp, out, offset, pOverlap);
      scaleSpeech(out, offset);
    } else if (erased > MAX_ERASED_AUDIBLE) {
      Arrays.fill(out, offset, offset + FRAME_SAMPLES, (short) 0);
    } else {
      getFeSpeech(out, offset, FRAME_SAMPLES);
      scaleSpeech(out, offset);
    }
    if (erased < 1_000) erased++; // bounded: a quiet stream keeps calling
    saveSpeech(out, offset);
  }

  /** Consecutive frames concealed so far; 0 while audio flows. */
  public int erasedFrames() {
    return erased;
  }

  /** True once a loss has lasted long enough that concealment only plays silence (60 ms). */
  public boolean exhausted() {
    return erased > MAX_ERASED_AUDIBLE;
  }

  /** Forgets history (a new stream): the next frames start from silence. */
  public void reset() {
    Arrays.fill(history, (short) 0);
    erased = 0;
  }

  private void saveSpeech(short[] s, int offset) {
    System.arraycopy(s, offset, frameCopy, 0, FRAME_SAMPLES);
    System.arraycopy(history, FRAME_SAMPLES, history, 0, HISTORY_LEN - FRAME_SAMPLES);
    System.arraycopy(frameCopy, 0, history, HISTORY_LEN - FRAME_SAMPLES, FRAME_SAMPLES);
    // the output is the history delayed by POVERLAP_MAX samples
    System.arraycopy(history, HISTORY_LEN - FRAME_SAMPLES - POVERLAP_MAX, s, offset, FRAME_SAMPLES);
  }

  private void getFeSpeech(short[] out, int offset, int size) {
    int o = offset;
    int sz = size;
    while (sz > 0) {
      int cnt = pitchBLen - pOffset;
      if (cnt > sz) cnt = sz;
      for (int i = 0; i < cnt; i++) out[o + i] = clip(pitchBuf[pitchBufStart + pOffset + i]);
      pOffset += cnt;
      if (pOffset == pitchBLen) pOffset = 0;
      o += cnt;
      sz -= cnt;
    }
  }

  private void scaleSpeech(short[] out, int offset) {
    float g = 1f - (erased - 1) * ATTEN_FAC;
    for (int i = 0; i < FRAME_SAMPLES; i++) {
      out[offset + i] = (short) (out[offset + i] * g);
      g -= ATTEN_INCR;
    }
  }

  /** Pitch period in samples: the lag whose 20 ms window best matches the latest 20 ms. */
  private int findPitch() {
    int l = HISTORY_LEN - CORR_LEN;
    int r = HISTORY_LEN - CORR_BUF_LEN;
    float[] b = pitchBuf;
    // coarse search on every second sample
    float energy = 0f;
    float corr = 0f;
    for (int i = 0; i < CORR_LEN; i += NDEC) {
      energy += b[r + i] * b[r + i];
      corr += b[r + i] * b[l + i];
    }
    float scale = Math.max(energy, CORR_MIN_POWER);
    float bestCorr = corr / (float) Math.sqrt(scale);
    int bestMatch = 0;
    for (int j = NDEC; j <= PITCH_DIFF; j += NDEC) {
      energy -= b[r] * b[r];
      energy += b[r + CORR_LEN] * b[r + CORR_LEN];
      r += NDEC;
      corr = 0f;
      for (int i = 0; i < CORR_LEN; i += NDEC) corr += b[r + i] * b[l + i];
      scale = Math.max(energy, CORR_MIN_POWER);
      corr /= (float) Math.sqrt(scale);
      if (corr >= bestCorr) {
        bestCorr = corr;
        bestMatch = j;
      }
    }
    // fine search around the coarse winner
    int j = Math.max(bestMatch - (NDEC - 1), 0);
    int k = Math.min(bestMatch + (NDEC - 1), PITCH_DIFF);
    r = HISTORY_LEN - CORR_BUF_LEN + j;
    energy = 0f;
    corr = 0f;
    for (int i = 0; i < CORR_LEN; i++) {
      energy += b[r + i] * b[r + i];
      corr += b[r + i] * b[l + i];
    }
    scale = Math.max(energy, CORR_MIN_POWER);
    bestCorr = corr / (float) Math.sqrt(scale);
    bestMatch = j;
    for (j++; j <= k; j++) {
      energy -= b[r] * b[r];
      energy += b[r + CORR_LEN] * b[r + CORR_LEN];
      r++;
      corr = 0f;
      for (int i = 0; i < CORR_LEN; i++) corr += b[r + i] * b[l + i];
      scale = Math.max(energy, CORR_MIN_POWER);
      corr /= (float) Math.sqrt(scale);
      if (corr > bestCorr) {
        bestCorr = corr;
        bestMatch = j;
      }
    }
    return PITCH_MAX - bestMatch;
  }

  /** o[i] = fade-out of l into fade-in of r, over cnt samples (o may alias r). */
  private static void overlapAdd(float[] l, float[] r, int rOff, float[] o, int oOff, int cnt) {
    float incr = 1f / cnt;
    float lw = 1f - incr;
    float rw = incr;
    for (int i = 0; i < cnt; i++) {
      float t = lw * l[i] + rw * r[rOff + i];
      if (t > 32767f) t = 32767f;
      else if (t < -32768f) t = -32768f;
      o[oOff + i] = t;
      lw -= incr;
      rw += incr;
    }
  }

  private static void overlapAddShorts(short[] l, short[] r, int rOff, int cnt) {
    float incr = 1f / cnt;
    float lw = 1f - incr;
    float rw = incr;
    for (int i = 0; i < cnt; i++) {
      float t = lw * l[i] + rw * r[rOff + i];
      r[rOff + i] = clip(t);
      lw -= incr;
      rw += incr;
    }
  }

  /** Fades the synthetic signal f out (at the current concealment gain) while the real frame s fades in. */
  private void overlapAddAtEnd(short[] s, int sOff, short[] f, int cnt) {
    float incr = 1f / cnt;
    float gain = 1f - (erased - 1) * ATTEN_FAC;
    if (gain < 0f) gain = 0f;
    float incrG = incr * gain;
    float lw = (1f - incr) * gain;
    float rw = incr;
    for (int i = 0; i < cnt; i++) {
      float t = lw * f[i] + rw * s[sOff + i];
      s[sOff + i] = clip(t);
      lw -= incrG;
      rw += incr;
    }
  }

  private static short clip(float t) {
    if (t > 32767f) return 32767;
    if (t < -32768f) return -32768;
    return (short) t;
  }
}
