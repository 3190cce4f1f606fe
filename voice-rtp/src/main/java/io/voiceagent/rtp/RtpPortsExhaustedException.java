package io.voiceagent.rtp;

/** Every RTP port pair in {@code RTP_PORT_MIN..RTP_PORT_MAX} is taken: this call fails, others go on. */
public final class RtpPortsExhaustedException extends RtpException {
  private static final long serialVersionUID = 1L;

  public RtpPortsExhaustedException(int portMin, int portMax) {
    super("no free RTP port pair in " + portMin + ".." + portMax + " (RTP_PORT_MIN..RTP_PORT_MAX)");
  }
}
