package io.voiceagent.core.jitter;

import static io.voiceagent.core.jitter.Trace.MS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voiceagent.core.audio.G711;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JitterBufferTest {

  private static JitterBuffer buffer() {
    return new JitterBuffer(JitterConfig.DEFAULT, G711.Law.ULAW);
  }

  private static double meanDelayBetween(Trace.Run run, long fromMs, long toMs) {
    JitterStats a = run.atMillis(fromMs);
    JitterStats b = run.atMillis(toMs - 20);
    return (double) (b.bufferDelaySumMillis() - a.bufferDelaySumMillis())
        / (b.bufferDelayCount() - a.bufferDelayCount());
  }

  private static int maxBlockDelay(Trace.Run run) {
    int max = 0;
    for (int i = 1; i < run.statsPerPoll().size(); i++) {
      JitterStats a = run.statsPerPoll().get(i - 1);
      JitterStats b = run.statsPerPoll().get(i);
      long blocks = b.bufferDelayCount() - a.bufferDelayCount();
      if (blocks > 0) max = (int) Math.max(max, (b.bufferDelaySumMillis() - a.bufferDelaySumMillis()) / blocks);
    }
    return max;
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 3, 7, 10, 13, 19})
  void givenCleanTrace_whenPlayed_thenAddsAtMost40msAndConcealsNothing(int phaseMs) {
    Trace trace = Trace.clean(10, 35);
    Trace.Run run = trace.play(buffer(), phaseMs * MS, 10_000);
    JitterStats s = run.last();
    assertEquals(0, s.concealedSamples(), "concealed: " + s);
    assertEquals(0, s.late(), "late: " + s);
    assertTrue(maxBlockDelay(run) <= 40, "largest delay " + maxBlockDelay(run) + " ms: " + s);
    assertTrue(s.meanBufferDelayMillis() <= 40, "mean " + s.meanBufferDelayMillis());
    assertTrue(s.targetDelayMillis() <= 20, "target after 10 s of a clean path: " + s);
  }

  @Test void givenUniformJitterAndOnePercentLoss_whenPlayed_thenLateLossAtMostOnePercentAndDelayWithinP95Plus20() {
    for (long seed = 1; seed <= 5; seed++) {
      Trace trace = Trace.jittered(30, 60, 0.01, seed);
      double p95 = trace.p95RelativeDelayMs();
      Trace.Run run = trace.play(buffer(), 4 * MS, 31_000);
      JitterStats s = run.last();
      double lateRate = (double) s.late() / s.packetsReceived();
      assertTrue(lateRate <= 0.01, "seed " + seed + " late " + lateRate + " " + s);
      double mean = meanDelayBetween(run, 3_000, 30_000);
      assertTrue(mean <= p95 + 20, "seed " + seed + " mean delay " + mean + " vs p95 " + p95 + ": " + s);
      // reordered packets (the slow ones, here) do not feed the statistic, so the target sits at or below p95 + 20
      JitterStats atEnd = run.atMillis(29_980);
      assertTrue(atEnd.targetDelayMillis() <= p95 + 21 && atEnd.targetDelayMillis() >= 40,
          "seed " + seed + " target " + atEnd.targetDelayMillis() + " vs p95 " + p95);
      assertTrue(s.concealmentEvents() >= 1, "losses are concealed: " + s);
    }
  }

  private static Trace.Run cleanRun(Trace trace) {
    return trace.play(buffer(), 5 * MS, trace.packets.size() * 20L);
  }

  @Test void givenNothingOffered_whenPolled_thenSilenceAndFalse() {
    JitterBuffer jb = buffer();
    short[] out = new short[160];
    java.util.Arrays.fill(out, (short) 7);
    assertFalse(jb.poll(0, out));
    for (short v : out) assertEquals(0, v);
  }

  @Test void givenPairsSwapped_whenPlayed_thenCountedReorderedAndNothingConcealedOrLate() {
    Trace trace = Trace.clean(6, 35);
    List<Trace.Packet> p = trace.packets;
    int swaps = 0;
    for (int i = 10; i + 1 < p.size(); i += 10) {
      Trace.Packet a = p.get(i);
      Trace.Packet b = p.get(i + 1);
      // b overtakes a: it comes 1 ms before a, which is on time
      p.set(i + 1, new Trace.Packet(b.seq(), b.ts(), b.ssrc(), b.marker(), b.payload(), b.sentNanos(), a.arrivalNanos() - MS));
      swaps++;
    }
    Trace.Run run = trace.play(buffer(), 5 * MS, 6_000);
    JitterStats s = run.last();
    assertEquals(swaps, s.reordered(), s.toString());
    assertEquals(0, s.late(), s.toString());
    assertEquals(0, s.concealedSamples(), s.toString());
  }

  @Test void givenEveryPacketTwice_whenPlayed_thenDuplicatesCountedAndOutputAsClean() {
    Trace clean = Trace.clean(5, 35);
    Trace doubled = Trace.clean(5, 35);
    List<Trace.Packet> twice = new ArrayList<>();
    for (Trace.Packet k : doubled.packets) {
      twice.add(k);
      twice.add(new Trace.Packet(k.seq(), k.ts(), k.ssrc(), k.marker(), k.payload(), k.sentNanos(), k.arrivalNanos() + 3 * MS));
    }
    doubled.packets.clear();
    doubled.packets.addAll(twice);
    Trace.Run a = clean.play(buffer(), 5 * MS, 5_100);
    Trace.Run b = doubled.play(buffer(), 5 * MS, 5_100);
    assertEquals(clean.packets.size(), b.last().duplicates());
    assertArrayEquals(a.output(), b.output());
  }

  @Test void givenSequenceAndTimestampWrap_whenPlayed_thenSameAsWithoutWrap() {
    Trace plain = new Trace(G711.Law.ULAW).stream(250, 160, 100, 5_000L, 9L, 0, 35, i -> 0, i -> false, 0);
    Trace wrapping = new Trace(G711.Law.ULAW).stream(250, 160, 65_500, 0xFFFFFFFFL - 100 * 160L, 9L, 0, 35,
        i -> 0, i -> false, 0);
    Trace.Run a = cleanRun(plain);
    Trace.Run b = cleanRun(wrapping);
    assertArrayEquals(a.output(), b.output());
    assertEquals(0, b.last().flushes());
    assertEquals(0, b.last().late());
    assertEquals(0, b.last().concealedSamples());
  }

  @Test void givenOneLostPacket_whenPlayed_thenOneConcealmentEventOf20ms() {
    Trace trace = new Trace(G711.Law.ULAW).stream(200, 160, 1, 0, 5L, 0, 35, i -> 0, i -> i == 120, 0);
    JitterStats s = cleanRun(trace).last();
    assertEquals(1, s.concealmentEvents(), s.toString());
    assertEquals(160, s.concealedSamples(), s.toString());
    assertEquals(0, s.late(), s.toString());
  }

  @Test void givenTimestampJumpOfTenSeconds_whenPlayed_thenFlushedOnceAndPlaysOn() {
    Trace trace = new Trace(G711.Law.ULAW)
        .stream(150, 160, 1, 0, 5L, 0, 35, i -> 0, i -> false, 0)
        .stream(150, 160, 151, 80_000 + 150 * 160, 5L, 3_000 * MS, 35, i -> 0, i -> false, 24_000);
    Trace.Run run = trace.play(buffer(), 5 * MS, 6_000);
    JitterStats s = run.last();
    assertEquals(1, s.flushes(), s.toString());
    assertEquals(0, s.late(), s.toString());
    assertTrue(run.audible()[280], "audio plays after the jump");
    assertTrue(s.concealedSamples() <= 480, s.toString());
  }

  @Test void givenNewSsrc_whenItsPacketsArrive_thenOldAudioFlushedAndNewStreamPlays() {
    Trace trace = new Trace(G711.Law.ULAW)
        .stream(100, 160, 1, 0, 5L, 0, 35, i -> 0, i -> false, 0)
        .stream(100, 160, 40_000, 777_777, 6L, 2_000 * MS, 35, i -> 0, i -> false, 0);
    Trace.Run run = trace.play(buffer(), 5 * MS, 4_000);
    JitterStats s = run.last();
    assertEquals(1, s.flushes(), s.toString());
    assertEquals(0, s.late(), s.toString());
    // the new stream starts from its beginning: its first real frame repeats the start of the signal
    assertTrue(run.audible()[150]);
    assertTrue(s.concealedSamples() <= 480, s.toString());
  }

  @Test void givenSilenceSuppressionPause_whenTalkspurtResumesWithMarker_thenQuietThenPlaysWithoutExtraDelay() {
    // 2 s of speech, 2 s of nothing (timestamps advance with the clock), 2 s more speech starting with M=1
    Trace trace = new Trace(G711.Law.ULAW)
        .stream(100, 160, 1, 0, 5L, 0, 35, i -> 0, i -> false, 0)
        .stream(100, 160, 101, 200 * 160, 5L, 4_000 * MS, 35, i -> 0, i -> false, 32_000);
    Trace.Run run = trace.play(buffer(), 5 * MS, 6_000);
    JitterStats s = run.last();
    assertFalse(run.audible()[150], "quiet during the pause");
    assertTrue(run.audible()[250], "plays again");
    assertEquals(0, s.late(), s.toString());
    assertEquals(0, s.flushes(), s.toString());
    assertTrue(s.concealedMillis() <= 60, "concealment stops after 60 ms: " + s);
    assertTrue(s.insertedSamples() <= 0, "the wait at the end of the talkspurt is given back: " + s);
    assertTrue(run.atMillis(5_900).currentDelayMillis() <= 40, run.atMillis(5_900).toString());
  }

  @Test void givenTalkspurtWhoseTimestampsDidNotAdvance_whenItArrivesWithMarker_thenRestartsOnIt() {
    // the sender paused 2 s but kept counting timestamps from where it stopped
    Trace trace = new Trace(G711.Law.ULAW)
        .stream(100, 160, 1, 0, 5L, 0, 35, i -> 0, i -> false, 0)
        .stream(100, 160, 101, 100 * 160, 5L, 4_000 * MS, 35, i -> 0, i -> false, 16_000);
    Trace.Run run = trace.play(buffer(), 5 * MS, 6_000);
    JitterStats s = run.last();
    assertEquals(0, s.late(), s.toString());
    assertTrue(run.audible()[250]);
  }

  @Test void givenStallsOf300ms_whenPlayed_thenTargetCappedAt200ms() {
    // the path stalls 300 ms at a time, then delivers the backlog in order
    Trace trace = new Trace(G711.Law.ULAW).stream(500, 160, 1, 0, 5L, 0, 35, i -> 300 - 20 * (i % 16), i -> false, 0);
    Trace.Run run = trace.play(buffer(), 5 * MS, 10_000);
    for (JitterStats st : run.statsPerPoll()) {
      assertTrue(st.targetDelayMillis() <= 200, st.toString());
    }
    Trace.Run uncapped = trace.play(new JitterBuffer(new JitterConfig(40, 1000), G711.Law.ULAW), 5 * MS, 10_000);
    assertTrue(uncapped.last().targetDelayMillis() > 250, "the same trace wants more: " + uncapped.last());
    assertTrue(run.last().targetDelayMillis() >= 180, run.last().toString());
  }

  @Test void givenJitterThatStops_whenPlayed_thenDelayShrinksAtMostOneFramePer200ms() {
    Random r = new Random(3);
    double[] jitter = new double[750];
    for (int i = 0; i < 250; i++) jitter[i] = r.nextDouble() * 80;
    Trace trace = new Trace(G711.Law.ULAW).stream(750, 160, 1, 0, 5L, 0, 35, i -> jitter[i], i -> false, 0);
    Trace.Run run = trace.play(buffer(), 5 * MS, 15_000);
    JitterStats at5 = run.atMillis(5_000);
    JitterStats end = run.last();
    assertTrue(at5.targetDelayMillis() >= 80, at5.toString());
    assertTrue(end.targetDelayMillis() <= 20, end.toString());
    assertTrue(end.currentDelayMillis() <= 40, "shrunk: " + end);
    for (int from = 0; from + 10 < run.statsPerPoll().size(); from++) {
      long removed = run.statsPerPoll().get(from + 10).removedSamples() - run.statsPerPoll().get(from).removedSamples();
      assertTrue(removed <= 160, "removed " + removed + " samples in 200 ms after poll " + from);
    }
    assertEquals(0, end.late() - at5.late(), "none late once the jitter has stopped: " + end);
  }

  @Test void givenLawChange_whenNextPacketsArrive_thenDecodedWithNewLaw() {
    JitterBuffer jb = new JitterBuffer(new JitterConfig(20, 200), G711.Law.ULAW);
    byte[] alaw = new byte[160];
    java.util.Arrays.fill(alaw, G711.linearToAlaw(1000));
    jb.setLaw(G711.Law.ALAW);
    short[] out = new short[160];
    for (int i = 0; i < 10; i++) {
      jb.offer(i, i * 160L, 1, i == 0, alaw, 0, 160, i * 20 * MS);
      jb.poll(i * 20 * MS + MS, out);
    }
    assertEquals(G711.alawToLinear(G711.linearToAlaw(1000)), out[100]);
  }

  @Test void givenBadConfig_whenBuilt_thenErrorNamesValue() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new JitterConfig(10, 200));
    assertTrue(e.getMessage().contains("initialDelayMillis is 10"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new JitterConfig(40, 30));
    assertTrue(e.getMessage().contains("maxDelayMillis is 30"), e.getMessage());
  }

  @Test void givenShuffledBurstAfterStall_whenPlayed_thenNoAudioLostBeyondLate() {
    // a 300 ms network stall, then everything at once in random order
    Trace trace = Trace.clean(4, 35);
    List<Trace.Packet> p = trace.packets;
    List<Trace.Packet> burst = new ArrayList<>(p.subList(50, 65));
    Collections.shuffle(burst, new Random(5));
    for (int i = 0; i < burst.size(); i++) {
      Trace.Packet k = burst.get(i);
      p.set(50 + i, new Trace.Packet(k.seq(), k.ts(), k.ssrc(), k.marker(), k.payload(), k.sentNanos(),
          1_335 * MS + i * 100_000L));
    }
    Trace.Run run = trace.play(buffer(), 5 * MS, 4_000);
    JitterStats s = run.last();
    assertEquals(0, s.flushes(), s.toString());
    assertTrue(s.late() + s.concealmentEvents() >= 1, s.toString());
    assertTrue(run.audible()[190], s.toString());
  }
}
