package io.voiceagent.rtp;

import io.voiceagent.core.jitter.JitterStats;
import io.voiceagent.core.telephony.MediaStats;

/**
 * Everything one session counts, beyond SPEC's {@link MediaStats}: what was dropped and why, RTCP, DTMF
 * and the jitter buffer. A snapshot; counters only grow.
 *
 * @param media               SPEC's statistics (what {@link RtpSession#stats()} returns)
 * @param localPort           our RTP port
 * @param ssrc                our SSRC
 * @param sdpRemote           the far end's RTP address from SDP as {@code ip:port}, or null before start
 * @param learntSource        the source learnt instead of the SDP address (NAT), or null
 * @param octetsSent          RTP payload octets sent
 * @param dtmfSent            digits sent as RFC 4733 events
 * @param dtmfReceived        digits received (after de-duplication)
 * @param droppedBeforeStart  packets that arrived before {@link RtpSession#start}
 * @param droppedMalformed    packets failing validation (length, version, CSRC, extension, padding, DTMF payload)
 * @param droppedPayloadType  packets with a payload type that was not negotiated
 * @param droppedForeignSource packets from a source that is not the accepted one (RTP bleed guard)
 * @param droppedLearning     probation packets of a source being learnt
 * @param droppedSequence     packets RFC 3550 A.1 does not accept yet (source probation, unconfirmed jump)
 * @param droppedQueueFull    audio packets dropped because the hand-off to the pacer was full
 * @param droppedOversize     audio packets longer than 60 ms, or datagrams larger than the receive buffer
 * @param duplicates          duplicate RTP packets (still counted as received, RFC 3550 A.3)
 * @param reordered           RTP packets arriving after a higher sequence number
 * @param sendErrors          sends that failed (socket error) or found the socket buffer full
 * @param handlerErrors       exceptions thrown by the attached media handler (silence sent instead)
 * @param rtcpSent            RTCP compound packets sent
 * @param rtcpReceived        valid RTCP compound packets received from the far end
 * @param rtcpDropped         RTCP packets dropped (malformed, foreign source, before start)
 * @param roundTripMillis     round trip from the far end's last report block, NaN while unknown
 * @param remoteFractionLost  the far end's last reported fraction of our packets lost, 0..1
 * @param remoteCumulativeLost the far end's last reported cumulative loss of our packets
 * @param remoteJitterMillis  the far end's last reported interarrival jitter of our stream
 * @param jitter              the jitter buffer's statistics
 */
public record RtpSessionStats(
    MediaStats media,
    int localPort,
    long ssrc,
    String sdpRemote,
    String learntSource,
    long octetsSent,
    long dtmfSent,
    long dtmfReceived,
    long droppedBeforeStart,
    long droppedMalformed,
    long droppedPayloadType,
    long droppedForeignSource,
    long droppedLearning,
    long droppedSequence,
    long droppedQueueFull,
    long droppedOversize,
    long duplicates,
    long reordered,
    long sendErrors,
    long handlerErrors,
    long rtcpSent,
    long rtcpReceived,
    long rtcpDropped,
    double roundTripMillis,
    double remoteFractionLost,
    long remoteCumulativeLost,
    double remoteJitterMillis,
    JitterStats jitter) {}
