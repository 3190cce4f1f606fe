package io.voiceagent.rtp;

/**
 * The media engine shared by every call: the RTP port pool, the {@code rtp-io} receive thread(s) and the
 * one {@code media-pacer} thread that ticks every session's 20 ms frame on absolute deadlines.
 */
public interface RtpEngine extends AutoCloseable {
  /** Starts the engine's threads. */
  static RtpEngine start(RtpConfig config) {
    throw new UnsupportedOperationException("the RTP engine is not implemented yet");
  }

  /**
   * Opens a session on a free even port (RTCP on port + 1). It receives nothing and sends nothing until
   * {@link RtpSession#start}.
   *
   * @throws RtpPortsExhaustedException when no port pair in the range is free
   */
  RtpSession open(RtpSession.Listener listener);

  /** Closes every session and stops the threads. Idempotent. */
  @Override void close();
}
