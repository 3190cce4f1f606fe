package io.voiceagent.core.jitter;

/**
 * Lifetime statistics of one {@link JitterBuffer}, after WebRTC NetEq's lifetime stats. Counters only grow
 * (across resets and SSRC changes); the two delays are instantaneous.
 *
 * @param packetsReceived packets offered with a valid payload (duplicates and late ones included)
 * @param late packets discarded because their play time had passed
 * @param reordered packets that arrived after a packet with a higher sequence number
 * @param duplicates packets discarded because their audio was already buffered or played
 * @param concealedSamples samples synthesized by loss concealment (including silence after it ran out while a
 *     stream was playing)
 * @param concealmentEvents times concealment started (a burst of lost frames counts once)
 * @param insertedSamples samples added to stretch the playout delay (grow)
 * @param removedSamples samples dropped to shrink the playout delay
 * @param flushes times buffered audio was thrown away (overflow, timestamp jump, SSRC change, reset)
 * @param bufferDelaySumMillis sum over played 10 ms blocks of real audio of the time from its arrival to its
 *     play-out (from the packet's arrival plus the block's offset in the packet, so packetisation is not counted)
 * @param bufferDelayCount how many blocks {@code bufferDelaySumMillis} sums
 * @param targetDelayMillis the playout delay the buffer aims at now
 * @param currentDelayMillis the playout delay now: how long after the fastest recent packet audio is played
 */
public record JitterStats(long packetsReceived, long late, long reordered, long duplicates, long concealedSamples,
    long concealmentEvents, long insertedSamples, long removedSamples, long flushes, long bufferDelaySumMillis,
    long bufferDelayCount, int targetDelayMillis, int currentDelayMillis) {

  /** Concealed audio in milliseconds (8 kHz). */
  public long concealedMillis() {
    return concealedSamples / 8;
  }

  /** Mean time from arrival to play-out, in milliseconds; 0 before anything was played. */
  public double meanBufferDelayMillis() {
    return bufferDelayCount == 0 ? 0 : (double) bufferDelaySumMillis / bufferDelayCount;
  }
}
