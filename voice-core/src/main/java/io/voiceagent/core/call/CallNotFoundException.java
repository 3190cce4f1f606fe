package io.voiceagent.core.call;

/** No call with that id: HTTP 404. */
public final class CallNotFoundException extends CallException {
  private static final long serialVersionUID = 1L;

  public CallNotFoundException(CallId id) {
    super("no call with id " + id);
  }

  @Override public String code() {
    return "not_found";
  }
}
