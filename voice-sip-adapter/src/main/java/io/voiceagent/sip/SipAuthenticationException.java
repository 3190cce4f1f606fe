package io.voiceagent.sip;

/** A digest challenge cannot be answered, or the server rejected our answer. Never carries the password. */
public final class SipAuthenticationException extends SipException {
  private static final long serialVersionUID = 1L;

  public SipAuthenticationException(String message) {
    super(message);
  }
}
