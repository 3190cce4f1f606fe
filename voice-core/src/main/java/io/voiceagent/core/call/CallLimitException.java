package io.voiceagent.core.call;

/** {@code MAX_CONCURRENT_CALLS} calls are already active: HTTP 429. */
public final class CallLimitException extends CallException {
  private static final long serialVersionUID = 1L;
  private final int limit;

  public CallLimitException(int limit) {
    super(limit + " calls are active, the limit (MAX_CONCURRENT_CALLS); try again when one ends");
    this.limit = limit;
  }

  public int limit() {
    return limit;
  }

  @Override public String code() {
    return "too_many_calls";
  }
}
