package io.voiceagent.core.jitter;

import io.voiceagent.core.audio.G711;
import io.voiceagent.core.plc.G711Plc;
import java.util.Arrays;
import java.util.Objects;

/**
 * Pull-model adaptive jitter buffer for one RTP stream of G.711 at 8 kHz; decodes and conceals loss.
 * Thread-safe for one offering thread (rtp-io) and one polling thread (media pacer). No allocation per packet
 * in steady state.
 *
 * <h2>Timeline</h2>
 * Decoded samples sit in a ring indexed by extended RTP timestamp; {@code playTs} is the next sample to play.
 * Each {@link #poll} plays two 10 ms blocks. The <em>playout delay</em> {@code D} is how long after the fastest
 * packet of the last 2 s (smallest transit, arrival − timestamp) a sample is played; a packet is in time when its
 * relative delay (its transit minus that minimum) is below {@code D}.
 *
 * <h2>Policy</h2>
 * <ul>
 *   <li>Start: the first audio plays once {@code D} reaches the initial delay minus 20 ms (so it waits at most
 *       {@link JitterConfig#initialDelayMillis()}).</li>
 *   <li>Target: 95th percentile of relative delay over the last 2 s (reordered and duplicate packets excluded)
 *       plus 20 ms, capped at {@link JitterConfig#maxDelayMillis()}; before 2 s of history it only grows from
 *       the initial delay.</li>
 *   <li>Grow at once: when {@code D} falls more than 10 ms below target, or the buffer runs dry mid-stream, a
 *       10 ms block is concealed without consuming audio ({@code insertedSamples}). If the awaited packet then
 *       turns out lost, the inserted audio stands in for it.</li>
 *   <li>Shrink slowly: when {@code D} is 10 ms or more above target, at most once per 200 ms, one 10 ms block is
 *       cross-faded with audio further on, skipping 20 ms if the audio is silent, else one pitch period (5–15
 *       ms); in speech only after the excess has lasted 1 s without a silence to cut.</li>
 *   <li>Loss (a gap with later audio present): concealed by {@link G711Plc}, silent after 60 ms. A packet whose
 *       play time has passed is late and discarded; a packet already held is a duplicate.</li>
 *   <li>Resets (counted as flushes): a new SSRC, a timestamp that jumps by more than 1 s against arrival time,
 *       a packet beyond the ring, {@link #reset()}. A talkspurt (marker bit) that does not fit the old timeline
 *       while nothing is buffered restarts the timeline without a flush.</li>
 * </ul>
 */
public final class JitterBuffer {
  private static final int FRAME = 160;
  private static final int SUB = G711Plc.FRAME_SAMPLES; // 80
  private static final long NANOS_PER_SAMPLE = 125_000L;
  private static final int HISTORY_WINDOW = 16_000;  // 2 s in samples
  private static final int DELAY_ENTRIES = 512;      // packets in the statistics window (≥ 2 s of 5 ms packets)
  private static final int JUMP = 8_000;             // 1 s: a timestamp step this far from arrival time is a jump
  private static final int TARGET_EVERY = 800;       // recompute target every 100 ms
  private static final int SHRINK_EVERY = 1_600;     // at most one removal per 200 ms
  private static final int SPEECH_SHRINK_AFTER = 8_000; // cut speech only after 1 s of excess
  private static final int SILENCE_MAGNITUDE = 300;  // mean |x| below this is silence for time-scaling
  private static final int MAX_PAYLOAD = 1_024;      // samples, 128 ms

  private enum State { EMPTY, PREFETCH, PLAYING }

  private final JitterConfig config;
  private final int ring;
  private final int mask;
  private final short[] pcm;
  private final long[] tag;       // extended timestamp + 1 of the sample in each slot, 0 = none
  private final int[] arrival;    // arrival of each slot's packet plus the sample's offset in it, in samples since baseNanos (mod 2^32)
  private final G711Plc plc = new G711Plc();
  private final short[] block = new short[SUB + FRAME];
  private final long[] delayArrival = new long[DELAY_ENTRIES];
  private final long[] delayTransit = new long[DELAY_ENTRIES];
  private final int[] histogram;  // relative delay in ms, 0..maxDelay+1

  // all below: guarded by this
  private G711.Law law;
  private State state = State.EMPTY;
  private boolean timeBase;
  private long baseNanos;
  private long ssrc;
  private long maxExt;        // highest extended timestamp seen in this timeline
  private long maxSeq;        // highest extended sequence number seen
  private long newestEnd;     // end (exclusive) of the newest audio stored
  private long playTs;
  private long lastTransit;
  private long timelineStart; // arrival (samples) of the first packet of this timeline
  private int delayHead;
  private int delayCount;
  private long minTransit;
  private int targetSamples;
  private int currentSamples;
  private long lastTargetAt = Long.MIN_VALUE;
  private long lastShrinkAt = Long.MIN_VALUE;
  private long excessSince = -1;
  private int stallCredit;    // samples inserted while waiting at playTs
  private boolean concealing;

  private long received;
  private long late;
  private long reordered;
  private long duplicates;
  private long concealedSamples;
  private long concealmentEvents;
  private long insertedSamples;
  private long removedSamples;
  private long flushes;
  private long delaySumMillis;
  private long delayCountBlocks;

  public JitterBuffer(JitterConfig config, G711.Law law) {
    this.config = Objects.requireNonNull(config, "config");
    this.law = Objects.requireNonNull(law, "law");
    int need = (config.maxDelayMillis() + 300) * 8 + MAX_PAYLOAD;
    this.ring = Integer.highestOneBit(need - 1) << 1;
    this.mask = ring - 1;
    this.pcm = new short[ring];
    this.tag = new long[ring];
    this.arrival = new int[ring];
    this.histogram = new int[config.maxDelayMillis() + 2];
    this.targetSamples = config.initialDelayMillis() * 8;
  }

  /** The codec was renegotiated: packets offered from now on are decoded with {@code law}. */
  public synchronized void setLaw(G711.Law law) {
    this.law = Objects.requireNonNull(law, "law");
  }

  /**
   * One RTP packet's payload. {@code rtpTimestamp} is the unsigned 32-bit value in a long; the payload is copied
   * (decoded); any length arrives (10/20/30 ms). Empty payloads are ignored.
   */
  public synchronized void offer(int sequenceNumber, long rtpTimestamp, long ssrc, boolean marker, byte[] payload,
      int offset, int length, long arrivalNanos) {
    Objects.checkFromIndexSize(offset, length, payload.length);
    if (length == 0) return;
    if (length > MAX_PAYLOAD) length = MAX_PAYLOAD;
    received++;
    if (!timeBase) {
      timeBase = true;
      baseNanos = arrivalNanos;
    }
    long arr = toSamples(arrivalNanos);
    long ts32 = rtpTimestamp & 0xFFFFFFFFL;
    if (state != State.EMPTY && ssrc != this.ssrc) {
      flush();
    }
    if (state == State.EMPTY) {
      startTimeline(ts32, sequenceNumber & 0xFFFF, arr);
      this.ssrc = ssrc;
    }
    long ext = maxExt + (int) (ts32 - (maxExt & 0xFFFFFFFFL));
    long extSeq = maxSeq + (short) (sequenceNumber - (int) (maxSeq & 0xFFFF));
    long transit = arr - ext;
    if (Math.abs(transit - lastTransit) > JUMP && (extSeq > maxSeq || extSeq < maxSeq - 100)) {
      // the sender's clock jumped (or it restarted): the old timeline means nothing now
      flush();
      startTimeline(ts32, sequenceNumber & 0xFFFF, arr);
      ext = ts32;
      extSeq = maxSeq + 1;
      transit = arr - ext;
    } else if (marker && extSeq > maxSeq && newestEnd <= playTs && state == State.PLAYING
        && (ext + length <= playTs || ext - playTs > (long) config.maxDelayMillis() * 8)) {
      // a talkspurt that does not fit the old timeline, with nothing buffered: restart on it
      startTimeline(ts32, sequenceNumber & 0xFFFF, arr);
      ext = ts32;
      extSeq = maxSeq + 1;
      transit = arr - ext;
    }
    if (extSeq == maxSeq) {
      duplicates++;
      return;
    }
    if (extSeq < maxSeq) {
      reordered++;
      if (state == State.PREFETCH && ext < playTs && playTs - ext <= MAX_PAYLOAD) {
        playTs = ext; // not played yet: it goes first
      }
    } else {
      maxSeq = extSeq;
      if (ext > maxExt) maxExt = ext;
      lastTransit = transit;
      recordDelay(arr, transit);
    }
    long end = ext + length;
    if (state == State.PLAYING && end <= playTs) {
      late++;
      return;
    }
    if (end - playTs > ring - FRAME) {
      // beyond the ring: we are hopelessly behind (a burst after a long stall); keep the newest audio
      flush();
      startTimeline(ts32, sequenceNumber & 0xFFFF, arr);
      ext = maxExt;
      end = ext + length;
    }
    int stored = 0;
    int present = 0;
    for (int i = 0; i < length; i++) {
      long t = ext + i;
      if (t < playTs) continue;
      int slot = (int) (t & mask);
      if (tag[slot] == t + 1) {
        present++;
        continue;
      }
      byte code = payload[offset + i];
      pcm[slot] = law == G711.Law.ULAW ? G711.ulawToLinear(code) : G711.alawToLinear(code);
      tag[slot] = t + 1;
      arrival[slot] = (int) arr + i; // as if the packet's samples had streamed in: packetisation is not buffering
      stored++;
    }
    if (stored == 0 && present > 0) {
      duplicates++;
      return;
    }
    if (end > newestEnd) newestEnd = end;
  }

  /**
   * Next 20 ms (160 samples) into out. Returns true if it wrote audio (real or concealed), false if it wrote
   * silence because no stream is playing (not started yet, or gone quiet after concealment ran out).
   */
  public synchronized boolean poll(long nowNanos, short[] out) {
    Objects.checkFromIndexSize(0, FRAME, out.length);
    if (state == State.EMPTY || !timeBase) {
      Arrays.fill(out, 0, FRAME, (short) 0);
      return false;
    }
    long now = toSamples(nowNanos);
    if (now - lastTargetAt >= TARGET_EVERY || lastTargetAt == Long.MIN_VALUE) {
      updateTarget(now);
      lastTargetAt = now;
    }
    if (state == State.PREFETCH) {
      long d = now - playTs - minTransit;
      currentSamples = (int) Math.max(0, d);
      if (d < targetSamples - FRAME) {
        Arrays.fill(out, 0, FRAME, (short) 0);
        return false;
      }
      state = State.PLAYING;
    }
    boolean audible = false;
    for (int k = 0; k < 2; k++) {
      audible |= playBlock(now + (long) k * SUB, out, k * SUB);
    }
    return audible;
  }

  /** An immutable snapshot of the counters and delays. */
  public synchronized JitterStats stats() {
    return new JitterStats(received, late, reordered, duplicates, concealedSamples, concealmentEvents,
        insertedSamples, removedSamples, flushes, delaySumMillis, delayCountBlocks, targetSamples / 8,
        currentSamples / 8);
  }

  /**
   * Forgets the stream (a discontinuity the caller knows of: re-INVITE, hold): buffered audio is flushed and
   * the next packet starts a new timeline. Lifetime counters are kept.
   */
  public synchronized void reset() {
    flush();
  }

  @Override public synchronized String toString() {
    return "JitterBuffer[" + state + ", " + law + ", target " + targetSamples / 8 + " ms, current "
        + currentSamples / 8 + " ms]";
  }

  // --- playout ---

  /** Plays 10 ms at time {@code now} into out[off..off+80); true if audible. */
  private boolean playBlock(long now, short[] out, int off) {
    long d = now - playTs - minTransit;
    currentSamples = (int) Math.max(0, d);
    int avail = available(playTs, SUB + FRAME);
    if (avail >= SUB) {
      boolean historyFull = now - timelineStart >= HISTORY_WINDOW;
      int low = targetSamples - (historyFull ? SUB : FRAME);
      if (d < low && plc.erasedFrames() == 0) { // at most every other block, so speech stays intelligible
        insert(out, off);
        return true;
      }
      int remove = historyFull ? removal(now, d, avail) : 0;
      if (remove > 0) {
        for (int i = 0; i < SUB; i++) {
          float w = (i + 0.5f) / SUB;
          float y = (1f - w) * sample(playTs + i) + w * sample(playTs + i + remove);
          out[off + i] = (short) Math.round(y);
        }
        removedSamples += remove;
        lastShrinkAt = now;
        excessSince = -1;
      } else {
        for (int i = 0; i < SUB; i++) out[off + i] = sample(playTs + i);
      }
      delaySumMillis += ((int) now - arrival[(int) (playTs & mask)]) / 8; // int arithmetic wraps cleanly
      delayCountBlocks++;
      plc.good(out, off);
      playTs += SUB + remove;
      stallCredit = 0;
      concealing = false;
      return true;
    }
    if (newestEnd > playTs + avail) {
      // a gap with audio after it: if we already waited here, that wait stood in for the missing audio
      if (stallCredit > 0) {
        long next = nextAvailable(playTs + avail);
        int skip = (int) Math.min(next - playTs, stallCredit);
        playTs += skip;
        stallCredit -= skip;
        insertedSamples -= skip;
        if (available(playTs, SUB) >= SUB) return playBlock(now, out, off);
      }
      return conceal(out, off, true);
    }
    // nothing buffered: the next packet is late (wait for it: the delay grows) or the talkspurt ended
    if (!plc.exhausted() && d < (long) config.maxDelayMillis() * 8) {
      stallCredit += SUB;
      insertedSamples += SUB;
      return conceal(out, off, false);
    }
    return conceal(out, off, true); // silent once concealment has run out: the stream is quiet
  }

  private boolean conceal(short[] out, int off, boolean advance) {
    boolean audible = !plc.exhausted();
    plc.conceal(out, off);
    if (audible) {
      concealedSamples += SUB;
      if (!concealing) concealmentEvents++;
      concealing = true;
    }
    if (advance) playTs += SUB;
    return audible;
  }

  /** D is too small: hold the timeline for 10 ms (a pitch repetition, at full gain) so the delay grows. */
  private void insert(short[] out, int off) {
    plc.conceal(out, off);
    insertedSamples += SUB;
  }

  /** How many samples to cut now (0 = none): 160 in silence, one pitch period in speech. */
  private int removal(long now, long d, int avail) {
    if (d < targetSamples + SUB) {
      excessSince = -1;
      return 0;
    }
    if (excessSince < 0) excessSince = now;
    if (lastShrinkAt != Long.MIN_VALUE && now - lastShrinkAt < SHRINK_EVERY) return 0;
    if (avail >= SUB + FRAME && meanMagnitude(playTs, SUB + FRAME) < SILENCE_MAGNITUDE && d - FRAME >= targetSamples - SUB) {
      return FRAME;
    }
    boolean overCap = d > (long) config.maxDelayMillis() * 8;
    if (now - excessSince < SPEECH_SHRINK_AFTER && !overCap) return 0;
    int maxLag = Math.min(120, avail - SUB);
    if (maxLag < 40) return 0;
    int lag = bestLag(playTs, 40, maxLag);
    return d - lag >= targetSamples - SUB ? lag : 0;
  }

  private int bestLag(long from, int minLag, int maxLag) {
    double best = -2;
    int bestLag = minLag;
    for (int lag = minLag; lag <= maxLag; lag++) {
      double xy = 0;
      double yy = 0;
      for (int i = 0; i < SUB; i++) {
        int x = sample(from + i);
        int y = sample(from + lag + i);
        xy += (double) x * y;
        yy += (double) y * y;
      }
      double c = yy <= 0 ? 0 : xy / Math.sqrt(yy);
      if (c > best) {
        best = c;
        bestLag = lag;
      }
    }
    return bestLag;
  }

  private int meanMagnitude(long from, int n) {
    long sum = 0;
    for (int i = 0; i < n; i++) sum += Math.abs(sample(from + i));
    return (int) (sum / n);
  }

  private short sample(long t) {
    return pcm[(int) (t & mask)];
  }

  /** Count of consecutive held samples from {@code from}, up to {@code max}. */
  private int available(long from, int max) {
    int n = 0;
    while (n < max && tag[(int) ((from + n) & mask)] == from + n + 1) n++;
    return n;
  }

  private long nextAvailable(long from) {
    for (long t = from; t < newestEnd; t++) {
      if (tag[(int) (t & mask)] == t + 1) return t;
    }
    return newestEnd;
  }

  // --- statistics ---

  private void recordDelay(long arr, long transit) {
    delayArrival[delayHead] = arr;
    delayTransit[delayHead] = transit;
    delayHead = (delayHead + 1) % DELAY_ENTRIES;
    if (delayCount < DELAY_ENTRIES) delayCount++;
    if (transit < minTransit || delayCount == 1) minTransit = transit;
  }

  /** Target = p95 of relative delay over the last 2 s + 20 ms, capped; grows only before 2 s of history. */
  private void updateTarget(long now) {
    long min = Long.MAX_VALUE;
    int n = 0;
    for (int i = 0; i < delayCount; i++) {
      int idx = (delayHead - 1 - i + DELAY_ENTRIES) % DELAY_ENTRIES;
      if (now - delayArrival[idx] > HISTORY_WINDOW && n > 0) break;
      min = Math.min(min, delayTransit[idx]);
      n++;
    }
    if (n == 0) return;
    minTransit = min;
    Arrays.fill(histogram, 0);
    int cap = histogram.length - 1;
    for (int i = 0; i < n; i++) {
      int idx = (delayHead - 1 - i + DELAY_ENTRIES) % DELAY_ENTRIES;
      long relMs = (delayTransit[idx] - min) / 8;
      histogram[(int) Math.min(relMs, cap)]++;
    }
    int need = (int) Math.ceil(0.95 * n);
    int cum = 0;
    int p95 = cap;
    for (int ms = 0; ms <= cap; ms++) {
      cum += histogram[ms];
      if (cum >= need) {
        p95 = ms;
        break;
      }
    }
    int target = Math.min((p95 + 20) * 8, config.maxDelayMillis() * 8);
    boolean historyFull = now - timelineStart >= HISTORY_WINDOW;
    targetSamples = historyFull ? target : Math.max(target, targetSamples);
  }

  private void startTimeline(long ts32, int seq, long arr) {
    state = State.PREFETCH;
    maxExt = ts32;
    maxSeq = seq - 1L; // so that this packet is the next in order
    playTs = ts32;
    newestEnd = ts32;
    lastTransit = arr - ts32;
    timelineStart = arr;
    delayCount = 0;
    delayHead = 0;
    minTransit = arr - ts32;
    lastTargetAt = Long.MIN_VALUE;
    excessSince = -1;
    stallCredit = 0;
  }

  private void flush() {
    if (state != State.EMPTY) flushes++;
    state = State.EMPTY;
    Arrays.fill(tag, 0L);
    plc.reset();
    concealing = false;
    stallCredit = 0;
    targetSamples = Math.max(targetSamples, config.initialDelayMillis() * 8);
  }

  private long toSamples(long nanos) {
    return Math.floorDiv(nanos - baseNanos, NANOS_PER_SAMPLE);
  }
}
