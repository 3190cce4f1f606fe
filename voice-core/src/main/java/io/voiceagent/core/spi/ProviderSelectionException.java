package io.voiceagent.core.spi;

/** No provider can be chosen: the message says why and lists the providers present. */
public final class ProviderSelectionException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ProviderSelectionException(String message) {
    super(message);
  }
}
