package io.voiceagent.sip;

import java.util.Locale;

/** The SIP transport ({@code SIP_TRANSPORT}). TLS uses the JDK's TLS (its default trust store). */
public enum SipTransport {
  UDP(5060), TCP(5060), TLS(5061);

  private final int defaultPort;

  SipTransport(int defaultPort) {
    this.defaultPort = defaultPort;
  }

  /** The port a proxy listens on when {@code EXOLVE_SIP_PROXY} names none. */
  public int defaultPort() {
    return defaultPort;
  }

  /** {@code udp}, {@code tcp} or {@code tls}: the name in Via and in {@code transport=} URI parameters. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
