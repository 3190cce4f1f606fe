package io.voiceagent.rtp;

import io.voiceagent.core.telephony.MediaStats;
import io.voiceagent.core.telephony.MediaStream;
import java.net.InetSocketAddress;

/**
 * One call's media: an even UDP port for RTP and the next one for RTCP, owned until {@link #close}.
 * Sending starts (with silence) as soon as {@link #start} names the far end; received audio is validated,
 * latched safely, de-jittered and decoded, and handed to the attached handler every 20 ms.
 *
 * <p>Every 20 ms the shared pacer calls the attached {@link io.voiceagent.core.telephony.MediaHandler}:
 * {@code calleeAudio} with the de-jittered, decoded frame, then {@code agentAudio} for what to send (false
 * sends silence). With no handler (early media, or after detaching) received media is still counted but
 * dropped, and silence is sent.
 *
 * <p>Thread-safe: every method may be called from any thread and returns quickly.
 */
public interface RtpSession extends MediaStream, AutoCloseable {
  /** The local RTP port (even); RTCP is on the next. */
  int localPort();

  /**
   * Starts or updates media toward {@code remote} (from SDP) with the negotiated codec. Call it on 183 with
   * SDP (early media: silence goes out at once, so NAT pinholes open and a latching far end finds us) and
   * again on 200 OK and on every re-INVITE/UPDATE with SDP. The SSRC, sequence numbers and timestamps go on
   * across calls; the codec may change.
   *
   * <p>A new address re-targets at once and restarts source learning (media.md §4): media is accepted from
   * {@code remote}, or from another source only within the learning window after 4 in-sequence packets with
   * one SSRC. The same address again (183 then 200) keeps what was learnt; if nothing was heard yet, the
   * learning window opens afresh, since many far ends only start sending on answer.
   *
   * @param telephoneEventPayloadType the far end's RFC 4733 payload type, or -1 if it offered none
   * @throws IllegalArgumentException for an unresolved address, a port outside 1..65534 or a telephone-event
   *                                  payload type equal to the codec's
   * @throws IllegalStateException    after {@link #close}
   */
  void start(InetSocketAddress remote, RtpCodec codec, int telephoneEventPayloadType);

  /**
   * The far end's direction from SDP. We send only while it receives ({@code sendrecv}, {@code recvonly});
   * the media timeout runs only while it sends to us ({@code sendrecv}): hold ({@code sendonly},
   * {@code inactive}) pauses it, and it restarts from zero when the call resumes.
   */
  void setDirection(MediaDirection direction);

  /**
   * Queues DTMF digits (0-9, *, #, A-D) as RFC 4733 events: 100 ms each with 60 ms between, sent on the
   * far end's telephone-event payload type.
   *
   * @throws IllegalArgumentException for a digit outside 0-9, *, #, A-D (nothing is queued) or more than 64
   *                                  digits waiting
   * @throws RtpException             when the far end offered no telephone-event payload type
   * @throws IllegalStateException    before {@link #start} or after {@link #close}
   */
  void sendDtmf(String digits);

  /** SPEC's media statistics: loss per RFC 3550 A.3 (negative with duplicates), jitter per A.8 in ms. */
  MediaStats stats();

  /** Everything the session counts: drops by reason, RTCP, DTMF and the jitter buffer. */
  default RtpSessionStats detailedStats() {
    throw new UnsupportedOperationException("detailed statistics are not provided by " + getClass().getName());
  }

  /** Sends RTCP BYE, stops sending, gives the ports back. Idempotent. */
  @Override void close();

  /** Session events, called on the engine's threads; must return quickly. */
  interface Listener {
    Listener NONE = new Listener() {};

    default void dtmfReceived(char digit) {}

    /** No RTP for {@code MEDIA_TIMEOUT_S} while not on hold. */
    default void mediaTimeout() {}
  }
}
