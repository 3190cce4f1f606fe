package io.voiceagent.sip;

/** The SIP user agent could not do what was asked; the message names the value at fault. */
public class SipException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public SipException(String message) {
    super(message);
  }

  public SipException(String message, Throwable cause) {
    super(message, cause);
  }
}
