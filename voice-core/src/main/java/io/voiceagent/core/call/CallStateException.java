package io.voiceagent.core.call;

/** The call is not in a state that allows this (DTMF before answer, hang-up after the end): HTTP 409. */
public final class CallStateException extends CallException {
  private static final long serialVersionUID = 1L;

  public CallStateException(String message) {
    super(message);
  }

  @Override public String code() {
    return "conflict";
  }
}
