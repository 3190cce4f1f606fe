package io.voiceagent.exolve;

import io.voiceagent.core.config.ConfigException;
import io.voiceagent.core.config.Secret;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;

/**
 * {@code SOCKS5_PROXY}: where the proxy is and the RFC 1929 login, if any. A small copy of the ElevenLabs
 * adapter's parser (adapters do not share internals; see {@code docs/exolve-http.md}).
 *
 * @param username null when the proxy needs no login; then {@code password} is null too
 */
record Socks5Proxy(String host, int port, String username, Secret password) {
  static final String VARIABLE = "SOCKS5_PROXY";

  Socks5Proxy {
    Objects.requireNonNull(host, "host");
    if (port < 1 || port > 65_535) throw new IllegalArgumentException("port is " + port + ", expected 1..65535");
    if ((username == null) != (password == null)) throw new IllegalArgumentException("username and password go together");
    if (username != null && (username.getBytes(StandardCharsets.UTF_8).length > 255
        || password.reveal().getBytes(StandardCharsets.UTF_8).length > 255)) {
      throw new IllegalArgumentException("username and password must each be 1..255 bytes (RFC 1929)");
    }
  }

  /** Parses {@code socks5://[user:pass@]host:port} ({@code socks5h} too); the value is never echoed (it may hold a password). */
  static Socks5Proxy parse(String value) {
    URI uri;
    try {
      uri = new URI(value.trim());
    } catch (URISyntaxException e) {
      throw bad("is not a URL");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("socks5") && !scheme.equals("socks5h")) throw bad("has scheme '" + scheme + "'");
    String host = uri.getHost();
    if (host == null || host.isEmpty() || uri.getPort() < 1) throw bad("has no host or no port");
    String user = null;
    Secret pass = null;
    String info = uri.getRawUserInfo();
    if (info != null) {
      int colon = info.indexOf(':');
      if (colon <= 0 || colon == info.length() - 1) throw bad("has a login without both user and password");
      user = URLDecoder.decode(info.substring(0, colon), StandardCharsets.UTF_8);
      pass = Secret.of(URLDecoder.decode(info.substring(colon + 1), StandardCharsets.UTF_8));
    }
    if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
    try {
      return new Socks5Proxy(host, uri.getPort(), user, pass);
    } catch (IllegalArgumentException e) {
      throw bad("is invalid: " + e.getMessage());
    }
  }

  private static ConfigException bad(String problem) {
    return new ConfigException(VARIABLE, VARIABLE + " " + problem
        + "; expected socks5://[user:pass@]host:port (the value is not shown: it may hold a password)");
  }

  @Override public String toString() {
    return "socks5://" + (username == null ? "" : username + ":****@") + host + ":" + port;
  }
}
