package io.voiceagent.core.jitter;

import io.voiceagent.core.audio.G711;
import java.util.Objects;

/**
 * Pull-model adaptive jitter buffer for one RTP stream of G.711 at 8 kHz; decodes and conceals loss.
 * Thread-safe for one offering thread (rtp-io) and one polling thread (media pacer). No allocation per packet
 * in steady state.
 */
public final class JitterBuffer {
  private static final int FRAME = 160;
  private static final int RING = 8192; // samples, power of two

  private final JitterConfig config;
  private G711.Law law;
  private final short[] pcm = new short[RING];
  private final long[] tag = new long[RING]; // extended timestamp + 1 held at each slot; 0 = empty
  private final byte[] scratch = new byte[0];

  private boolean started;
  private boolean playing;
  private long ssrc = -1;
  private long baseTs;       // extended timestamp of the first packet
  private long lastTs32;
  private long tsWraps;
  private long playTs;
  private long firstArrivalNanos;

  private long received;
  private long late;
  private long reordered;
  private long duplicates;
  private long concealed;
  private long concealEvents;
  private long flushes;
  private int highestSeq = -1;
  private boolean inLoss;

  public JitterBuffer(JitterConfig config, G711.Law law) {
    this.config = Objects.requireNonNull(config, "config");
    this.law = Objects.requireNonNull(law, "law");
  }

  public synchronized void setLaw(G711.Law law) {
    this.law = Objects.requireNonNull(law, "law");
  }

  /** rtpTimestamp is the unsigned 32-bit value in a long; payload copied; any length (10/20/30 ms arrive). */
  public synchronized void offer(int sequenceNumber, long rtpTimestamp, long ssrc, boolean marker, byte[] payload,
      int offset, int length, long arrivalNanos) {
    if (length <= 0 || length > RING / 2) return;
    received++;
    if (started && ssrc != this.ssrc) resetStream();
    long ts32 = rtpTimestamp & 0xFFFFFFFFL;
    if (!started) {
      started = true;
      this.ssrc = ssrc;
      tsWraps = 0;
      lastTs32 = ts32;
      baseTs = ts32;
      playTs = ts32;
      firstArrivalNanos = arrivalNanos;
      highestSeq = sequenceNumber;
    }
    long diff = (int) (ts32 - lastTs32); // signed 32-bit step
    long ext = (tsWraps << 32) + lastTs32 + diff;
    if (diff > 0) {
      lastTs32 = ts32;
      if (ext >>> 32 != tsWraps) tsWraps = ext >>> 32;
    }
    int seqStep = (short) (sequenceNumber - highestSeq);
    if (seqStep < 0) reordered++;
    else highestSeq = sequenceNumber & 0xFFFF;
    if (ext + length <= playTs && playing) {
      late++;
      return;
    }
    if (ext - playTs >= RING - FRAME) {
      resetStream();
      offer(sequenceNumber, rtpTimestamp, ssrc, marker, payload, offset, length, arrivalNanos);
      received--;
      return;
    }
    if (tag[(int) (ext & (RING - 1))] == ext + 1) {
      duplicates++;
      return;
    }
    for (int i = 0; i < length; i++) {
      long t = ext + i;
      if (t < playTs) continue;
      int slot = (int) (t & (RING - 1));
      pcm[slot] = law == G711.Law.ULAW ? G711.ulawToLinear(payload[offset + i]) : G711.alawToLinear(payload[offset + i]);
      tag[slot] = t + 1;
    }
  }

  /**
   * Next 20 ms (160 samples) into out. Returns true if it wrote audio (real or concealed), false if it wrote
   * silence because no stream is playing.
   */
  public synchronized boolean poll(long nowNanos, short[] out) {
    if (!started) {
      java.util.Arrays.fill(out, 0, FRAME, (short) 0);
      return false;
    }
    if (!playing) {
      if (nowNanos - firstArrivalNanos < config.initialDelayMillis() * 1_000_000L) {
        java.util.Arrays.fill(out, 0, FRAME, (short) 0);
        return false;
      }
      playing = true;
    }
    boolean any = false;
    for (int i = 0; i < FRAME; i++) {
      int slot = (int) ((playTs + i) & (RING - 1));
      if (tag[slot] == playTs + i + 1) {
        out[i] = pcm[slot];
        any = true;
      } else {
        out[i] = 0;
      }
    }
    if (!any) {
      if (!inLoss) concealEvents++;
      inLoss = true;
      concealed += FRAME;
    } else {
      inLoss = false;
    }
    playTs += FRAME;
    return any;
  }

  public synchronized JitterStats stats() {
    return new JitterStats(received, late, reordered, duplicates, concealed, concealEvents, 0, 0, flushes, 0, 0,
        config.initialDelayMillis(), config.initialDelayMillis());
  }

  public synchronized void reset() {
    resetStream();
  }

  private void resetStream() {
    started = false;
    playing = false;
    inLoss = false;
    java.util.Arrays.fill(tag, 0);
    flushes++;
  }
}
