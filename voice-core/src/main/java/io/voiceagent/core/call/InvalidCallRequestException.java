package io.voiceagent.core.call;

/** Bad input (a phone number, DTMF digits, an option): HTTP 400. */
public final class InvalidCallRequestException extends CallException {
  private static final long serialVersionUID = 1L;
  private final String field;

  public InvalidCallRequestException(String field, String message) {
    super(message);
    this.field = field;
  }

  public String field() {
    return field;
  }

  @Override public String code() {
    return "invalid_request";
  }
}
