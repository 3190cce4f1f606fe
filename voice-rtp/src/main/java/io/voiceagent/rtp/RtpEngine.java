package io.voiceagent.rtp;

/**
 * The media engine shared by every call: the RTP port pool, the {@code rtp-io} receive thread(s) and the
 * one {@code media-pacer} thread that ticks every session's 20 ms frame on absolute deadlines.
 *
 * <p>Thread-safe. A thousand calls mean a thousand sessions on these few threads, never a thread per call.
 */
public interface RtpEngine extends AutoCloseable {
  /** Starts the engine's threads. */
  static RtpEngine start(RtpConfig config) {
    return DefaultRtpEngine.start(config);
  }

  /**
   * Opens a session on a free even port (RTCP on port + 1). It receives nothing and sends nothing until
   * {@link RtpSession#start}.
   *
   * @throws RtpPortsExhaustedException when no port pair in the range is free
   * @throws RtpException               when a socket cannot be opened for another reason
   * @throws IllegalStateException      after {@link #close}
   */
  RtpSession open(RtpSession.Listener listener);

  /** Closes every session and stops the threads. Idempotent. */
  @Override void close();

  /** How well the pacer keeps time (benchmarks, health). */
  default PacerStats pacerStats() {
    throw new UnsupportedOperationException("pacer statistics are not provided by " + getClass().getName());
  }

  /** Starts {@link #pacerStats()} afresh (from the pacer's next tick). */
  default void resetPacerStats() {
    throw new UnsupportedOperationException("pacer statistics are not provided by " + getClass().getName());
  }

  /** RTP port pairs leased to open sessions. */
  default int portsInUse() {
    throw new UnsupportedOperationException("port accounting is not provided by " + getClass().getName());
  }

  /** Sessions open now. */
  default int sessionCount() {
    throw new UnsupportedOperationException("session accounting is not provided by " + getClass().getName());
  }
}
