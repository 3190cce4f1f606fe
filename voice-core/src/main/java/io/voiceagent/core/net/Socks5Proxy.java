package io.voiceagent.core.net;

import io.voiceagent.core.config.ConfigException;
import io.voiceagent.core.config.Secret;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;

/**
 * Where the SOCKS5 proxy is and how to log in to it (RFC 1929 username/password, or none).
 *
 * @param username null when the proxy needs no login
 * @param password null exactly when {@code username} is null
 */
public record Socks5Proxy(String host, int port, String username, Secret password) {
  /** The setting it is read from. */
  public static final String VARIABLE = "SOCKS5_PROXY";

  public Socks5Proxy {
    Objects.requireNonNull(host, "host");
    if (port < 1 || port > 65_535) throw new IllegalArgumentException("port is " + port + ", expected 1..65535");
    if ((username == null) != (password == null)) {
      throw new IllegalArgumentException("username and password go together");
    }
    if (username != null) {
      // RFC 1929: each is 1..255 bytes.
      int u = username.getBytes(StandardCharsets.UTF_8).length;
      int p = password.reveal().getBytes(StandardCharsets.UTF_8).length;
      if (u < 1 || u > 255) throw new IllegalArgumentException("the username is " + u + " bytes, expected 1..255");
      if (p < 1 || p > 255) throw new IllegalArgumentException("the password is " + p + " bytes, expected 1..255");
    }
  }

  public boolean hasLogin() {
    return username != null;
  }

  /**
   * Parses {@code socks5://[user:pass@]host:port} ({@code socks5h://} is accepted as a synonym: host names are
   * always resolved by the proxy). User and password may be percent-encoded. The value is never echoed in an
   * error, since it may hold a password.
   */
  public static Socks5Proxy parse(String value) {
    URI uri;
    try {
      uri = new URI(value.trim());
    } catch (URISyntaxException e) {
      throw bad("is not a URL (" + e.getReason() + ")");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("socks5") && !scheme.equals("socks5h")) {
      throw bad("has scheme '" + scheme + "'");
    }
    String host = uri.getHost();
    if (host == null || host.isEmpty()) throw bad("has no host");
    if (uri.getPort() < 1) throw bad("has no port");
    String path = uri.getRawPath();
    if ((path != null && !path.isEmpty() && !path.equals("/")) || uri.getRawQuery() != null) {
      throw bad("has a path or query");
    }
    String userInfo = uri.getRawUserInfo();
    String user = null;
    Secret pass = null;
    if (userInfo != null) {
      int colon = userInfo.indexOf(':');
      if (colon <= 0 || colon == userInfo.length() - 1) throw bad("has a login without both user and password");
      user = URLDecoder.decode(userInfo.substring(0, colon), StandardCharsets.UTF_8);
      pass = Secret.of(URLDecoder.decode(userInfo.substring(colon + 1), StandardCharsets.UTF_8));
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
