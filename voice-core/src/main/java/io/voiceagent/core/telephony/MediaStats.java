package io.voiceagent.core.telephony;

/**
 * A call's media statistics, with SPEC's fields: loss per RFC 3550 A.3, jitter per A.8 in milliseconds.
 *
 * @param remote the far end's RTP address as {@code ip:port}, or null while unknown
 */
public record MediaStats(
    String codec,
    String remote,
    long packetsSent,
    long packetsReceived,
    long packetsLost,
    double jitterMs,
    long lateOrReordered,
    long concealedMs) {}
