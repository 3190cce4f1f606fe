package io.voiceagent.core.call;

/**
 * A use case refused: each subtype maps to one answer of the REST API (400, 404, 409, 429, 503) and carries
 * a stable {@link #code()} for the JSON body.
 */
public abstract class CallException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  protected CallException(String message) {
    super(message);
  }

  protected CallException(String message, Throwable cause) {
    super(message, cause);
  }

  /** A short machine-readable code: {@code invalid_request}, {@code not_found}, … */
  public abstract String code();
}
