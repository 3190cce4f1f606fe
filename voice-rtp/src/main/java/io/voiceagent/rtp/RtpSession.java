package io.voiceagent.rtp;

import io.voiceagent.core.telephony.MediaStats;
import io.voiceagent.core.telephony.MediaStream;
import java.net.InetSocketAddress;

/**
 * One call's media: an even UDP port for RTP and the next one for RTCP, owned until {@link #close}.
 * Sending starts (with silence) as soon as {@link #start} names the far end; received audio is validated,
 * latched safely, de-jittered and decoded, and handed to the attached handler every 20 ms.
 */
public interface RtpSession extends MediaStream, AutoCloseable {
  /** The local RTP port (even); RTCP is on the next. */
  int localPort();

  /**
   * Starts or updates media toward {@code remote} (from SDP) with the negotiated codec. Called on 183 with
   * SDP and again on 200 OK or a re-INVITE; each call re-targets and restarts source learning.
   *
   * @param telephoneEventPayloadType the far end's RFC 4733 payload type, or -1 if it offered none
   */
  void start(InetSocketAddress remote, RtpCodec codec, int telephoneEventPayloadType);

  /** The far end's direction from SDP; hold (sendonly / inactive) pauses the media timeout. */
  void setDirection(MediaDirection direction);

  /** Queues DTMF digits (0-9, *, #, A-D) as RFC 4733 events. */
  void sendDtmf(String digits);

  MediaStats stats();

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
