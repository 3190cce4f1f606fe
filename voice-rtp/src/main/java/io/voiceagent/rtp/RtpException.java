package io.voiceagent.rtp;

/** A media session could not be set up. */
public class RtpException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public RtpException(String message) {
    super(message);
  }

  public RtpException(String message, Throwable cause) {
    super(message, cause);
  }
}
