package io.voiceagent.rtp;

/**
 * How well the shared media pacer keeps time, over every session since the engine started or since
 * {@link RtpEngine#resetPacerStats()}.
 *
 * <p>The send-gap error is {@code |gap − 20 ms|} between two consecutive packets of one session, measured
 * where the packet is handed to the socket; tick lateness is how long after its deadline the pacer began a
 * tick. Percentiles come from a histogram with 10 µs buckets.
 *
 * @param frames          20 ms frames ticked (one per session per 20 ms)
 * @param sendGaps        send gaps measured
 * @param sendGapErrorP50Micros median send-gap error
 * @param sendGapErrorP99Micros 99th percentile send-gap error
 * @param sendGapErrorMaxMicros largest send-gap error
 * @param tickLatenessP99Micros 99th percentile of how late ticks started
 * @param tickLatenessMaxMicros largest tick lateness
 * @param skippedTicks    ticks skipped because the pacer fell more than 100 ms behind (the stream's
 *                        timestamps jump and its next packet has M = 1)
 */
public record PacerStats(
    long frames,
    long sendGaps,
    long sendGapErrorP50Micros,
    long sendGapErrorP99Micros,
    long sendGapErrorMaxMicros,
    long tickLatenessP99Micros,
    long tickLatenessMaxMicros,
    long skippedTicks) {}
