package io.voiceagent.core.net;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import javax.net.SocketFactory;

/**
 * Sockets that reach their destination through a SOCKS5 proxy (RFC 1928), logging in with username and
 * password (RFC 1929) when the proxy asks. Given to one HTTP client only (the ElevenLabs and Exolve adapters'
 * OkHttp clients): no {@code Authenticator}, no system properties, nothing JVM-wide. The client sees a plain
 * socket and runs TLS over it.
 *
 * <p>Host names are resolved by the proxy ({@code socks5h} behaviour): the client's resolver returns
 * {@link #unresolved(String)}, a placeholder address that still carries the name, and the CONNECT request
 * names the host, so the local resolver is never asked (it may not be able to resolve the name, which is often
 * why the proxy is there).
 */
public final class Socks5SocketFactory extends SocketFactory {
  /** The placeholder's address bytes: 0.0.0.0, which never names a real destination. */
  private static final byte[] UNRESOLVED = new byte[4];

  private final Socks5Proxy proxy;

  public Socks5SocketFactory(Socks5Proxy proxy) {
    this.proxy = Objects.requireNonNull(proxy, "proxy");
  }

  /**
   * The placeholder address an HTTP client's resolver should return for {@code hostname} when it uses this
   * factory: resolution is left to the proxy, which gets the name (okhttp: {@code Dns} answering
   * {@code List.of(Socks5SocketFactory.unresolved(host))}).
   */
  public static InetAddress unresolved(String hostname) throws java.net.UnknownHostException {
    return InetAddress.getByAddress(hostname, UNRESOLVED);
  }

  @Override public Socket createSocket() {
    return new Socks5Socket(proxy);
  }

  @Override public Socket createSocket(String host, int port) throws IOException {
    Socket s = createSocket();
    s.connect(InetSocketAddress.createUnresolved(host, port));
    return s;
  }

  @Override public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
    Socket s = createSocket();
    s.bind(new InetSocketAddress(localHost, localPort));
    s.connect(InetSocketAddress.createUnresolved(host, port));
    return s;
  }

  @Override public Socket createSocket(InetAddress host, int port) throws IOException {
    Socket s = createSocket();
    s.connect(new InetSocketAddress(host, port));
    return s;
  }

  @Override public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
      throws IOException {
    Socket s = createSocket();
    s.bind(new InetSocketAddress(localAddress, localPort));
    s.connect(new InetSocketAddress(address, port));
    return s;
  }

  /** A failure in the proxy conversation; the message says which step and never shows the password. */
  public static final class ProxyException extends IOException {
    private static final long serialVersionUID = 1L;

    ProxyException(String message) {
      super(message);
    }
  }

  /** A TCP socket whose {@code connect} goes to the proxy and asks it for the real destination. */
  static final class Socks5Socket extends Socket {
    private static final int VERSION = 5;
    private static final int NO_AUTH = 0x00;
    private static final int USER_PASS = 0x02;
    private static final int NO_ACCEPTABLE = 0xFF;
    private static final int CONNECT = 0x01;
    private static final int ATYP_IPV4 = 0x01;
    private static final int ATYP_DOMAIN = 0x03;
    private static final int ATYP_IPV6 = 0x04;

    private final Socks5Proxy proxy;

    Socks5Socket(Socks5Proxy proxy) {
      this.proxy = proxy;
    }

    @Override public void connect(SocketAddress endpoint) throws IOException {
      connect(endpoint, 0);
    }

    @Override public void connect(SocketAddress endpoint, int timeoutMillis) throws IOException {
      if (!(endpoint instanceof InetSocketAddress)) {
        throw new IllegalArgumentException("expected an InetSocketAddress, got " + endpoint);
      }
      InetSocketAddress target = (InetSocketAddress) endpoint;
      long startNanos = System.nanoTime();
      try {
        super.connect(new InetSocketAddress(proxy.host(), proxy.port()), timeoutMillis);
      } catch (IOException e) {
        throw new ProxyException("cannot reach the SOCKS5 proxy " + proxy.host() + ":" + proxy.port() + " ("
            + e.getMessage() + ")");
      }
      int previousTimeout = getSoTimeout();
      try {
        if (timeoutMillis > 0) {
          // The handshake shares the connect budget: a proxy that accepts and then says nothing must not hang us.
          long leftMillis = timeoutMillis - (System.nanoTime() - startNanos) / 1_000_000;
          setSoTimeout((int) Math.max(1, leftMillis));
        }
        handshake(target);
        setSoTimeout(previousTimeout);
      } catch (IOException | RuntimeException e) {
        close();
        throw e;
      }
    }

    private void handshake(InetSocketAddress target) throws IOException {
      InputStream rawIn = getInputStream();
      DataInputStream in = new DataInputStream(rawIn); // unbuffered on purpose: not one byte past the reply
      OutputStream out = getOutputStream();
      String where = "the SOCKS5 proxy " + proxy.host() + ":" + proxy.port();

      // 1. Greeting: the methods we can do.
      if (proxy.hasLogin()) {
        out.write(new byte[] {VERSION, 2, NO_AUTH, USER_PASS});
      } else {
        out.write(new byte[] {VERSION, 1, NO_AUTH});
      }
      out.flush();
      int version = in.readUnsignedByte();
      int method = in.readUnsignedByte();
      if (version != VERSION) throw new ProxyException(where + " is not a SOCKS5 proxy (it answered version " + version + ")");
      if (method == NO_ACCEPTABLE) {
        throw new ProxyException(where + " accepts none of our login methods ("
            + (proxy.hasLogin() ? "none, username/password" : "none; it may need a user and password in SOCKS5_PROXY") + ")");
      }
      if (method == USER_PASS) {
        if (!proxy.hasLogin()) {
          throw new ProxyException(where + " asks for a username and password; put them in SOCKS5_PROXY");
        }
        login(in, out, where);
      } else if (method != NO_AUTH) {
        throw new ProxyException(where + " chose login method " + method + ", which we did not offer");
      }

      // 2. CONNECT to the destination, by name when we have one so the proxy resolves it.
      ByteArrayOutputStream request = new ByteArrayOutputStream(32);
      request.write(VERSION);
      request.write(CONNECT);
      request.write(0);
      InetAddress address = target.getAddress();
      String host = target.getHostString();
      if (address == null || (address.isAnyLocalAddress() && host != null && !host.equals(address.getHostAddress()))) {
        byte[] name = host.getBytes(StandardCharsets.US_ASCII); // IDN hosts reach us already in punycode
        if (name.length > 255) throw new ProxyException("host name '" + host + "' is longer than SOCKS5 allows");
        request.write(ATYP_DOMAIN);
        request.write(name.length);
        request.write(name, 0, name.length);
      } else {
        byte[] ip = address.getAddress();
        request.write(ip.length == 4 ? ATYP_IPV4 : ATYP_IPV6);
        request.write(ip, 0, ip.length);
      }
      request.write(target.getPort() >>> 8);
      request.write(target.getPort() & 0xFF);
      request.writeTo(out);
      out.flush();

      // 3. The reply; its bound address has a variable length and must be read to the last byte.
      version = in.readUnsignedByte();
      int reply = in.readUnsignedByte();
      in.readUnsignedByte(); // reserved
      int atyp = in.readUnsignedByte();
      if (version != VERSION) throw new ProxyException(where + " answered CONNECT with version " + version);
      int skip;
      switch (atyp) {
        case ATYP_IPV4: skip = 4; break;
        case ATYP_IPV6: skip = 16; break;
        case ATYP_DOMAIN: skip = in.readUnsignedByte(); break;
        default: throw new ProxyException(where + " answered CONNECT with address type " + atyp);
      }
      in.readFully(new byte[skip + 2]);
      if (reply != 0) {
        throw new ProxyException(where + " could not connect to " + host + ":" + target.getPort() + ": "
            + replyText(reply) + " (SOCKS5 reply " + reply + ")");
      }
    }

    private void login(DataInputStream in, OutputStream out, String where) throws IOException {
      byte[] user = proxy.username().getBytes(StandardCharsets.UTF_8);
      byte[] pass = proxy.password().reveal().getBytes(StandardCharsets.UTF_8);
      byte[] msg = new byte[3 + user.length + pass.length];
      msg[0] = 1; // RFC 1929 sub-negotiation version
      msg[1] = (byte) user.length;
      System.arraycopy(user, 0, msg, 2, user.length);
      msg[2 + user.length] = (byte) pass.length;
      System.arraycopy(pass, 0, msg, 3 + user.length, pass.length);
      out.write(msg);
      out.flush();
      java.util.Arrays.fill(msg, (byte) 0);
      in.readUnsignedByte(); // sub-negotiation version
      int status = in.readUnsignedByte();
      if (status != 0) {
        throw new ProxyException(where + " refused user '" + proxy.username() + "' (wrong password?)");
      }
    }

    private static String replyText(int reply) {
      switch (reply) {
        case 1: return "general failure";
        case 2: return "not allowed by its rules";
        case 3: return "network unreachable";
        case 4: return "host unreachable";
        case 5: return "connection refused";
        case 6: return "TTL expired";
        case 7: return "command not supported";
        case 8: return "address type not supported";
        default: return "unknown error";
      }
    }
  }
}
