package io.voiceagent.sip;

/** {@code host[:port]}, IPv6 literals in brackets. */
record HostPort(String host, int port) {
  static HostPort parse(String text, int defaultPort) {
    if (text == null || text.isBlank()) throw new IllegalArgumentException("address is empty, expected host[:port]");
    String t = text.trim();
    String host;
    String port = null;
    if (t.startsWith("[")) {
      int end = t.indexOf(']');
      if (end < 0) throw new IllegalArgumentException("'" + t + "' has an unclosed IPv6 bracket, expected [addr]:port");
      host = t.substring(1, end);
      if (end + 1 < t.length()) {
        if (t.charAt(end + 1) != ':') throw new IllegalArgumentException("'" + t + "' is not host[:port]");
        port = t.substring(end + 2);
      }
    } else {
      int colon = t.lastIndexOf(':');
      if (colon >= 0 && t.indexOf(':') == colon) {
        host = t.substring(0, colon);
        port = t.substring(colon + 1);
      } else {
        host = t;
      }
    }
    if (host.isEmpty() || !host.matches("[A-Za-z0-9.\\-:]+")) {
      throw new IllegalArgumentException("'" + t + "' is not host[:port]");
    }
    int p = defaultPort;
    if (port != null) {
      try {
        p = Integer.parseInt(port);
      } catch (NumberFormatException e) {
        p = -1;
      }
      if (p < 1 || p > 65535) throw new IllegalArgumentException("port '" + port + "' in '" + t + "' is not 1..65535");
    }
    return new HostPort(host, p);
  }
}
