package io.voiceagent.core.call;

/** Telephony cannot place calls now (not registered, provider down): HTTP 503. */
public final class TelephonyUnavailableException extends CallException {
  private static final long serialVersionUID = 1L;

  public TelephonyUnavailableException(String message) {
    super(message);
  }

  @Override public String code() {
    return "telephony_unavailable";
  }
}
