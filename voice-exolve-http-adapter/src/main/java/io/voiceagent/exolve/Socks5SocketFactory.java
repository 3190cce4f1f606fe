package io.voiceagent.exolve;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.net.SocketFactory;
import okhttp3.Dns;

/**
 * Sockets through a SOCKS5 proxy (RFC 1928, login per RFC 1929), for this adapter's OkHttp client only: no
 * JVM-wide {@code Authenticator} or system property. Host names are resolved by the proxy: {@link #dns()}
 * hands OkHttp a placeholder that keeps the name and CONNECT sends the name. A compact copy of the ElevenLabs
 * adapter's factory (adapters do not share internals).
 */
final class Socks5SocketFactory extends SocketFactory {
  private final Socks5Proxy proxy;

  Socks5SocketFactory(Socks5Proxy proxy) {
    this.proxy = proxy;
  }

  /** Leaves name resolution to the proxy: 0.0.0.0 carrying the host name. */
  static Dns dns() {
    return hostname -> List.of(InetAddress.getByAddress(hostname, new byte[4]));
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
    return createSocket(host, port);
  }

  @Override public Socket createSocket(InetAddress host, int port) throws IOException {
    Socket s = createSocket();
    s.connect(new InetSocketAddress(host, port));
    return s;
  }

  @Override public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
      throws IOException {
    return createSocket(address, port);
  }

  /** The proxy conversation failed: nothing of the HTTP request has been sent. */
  static final class ProxyException extends IOException {
    private static final long serialVersionUID = 1L;

    ProxyException(String message) {
      super(message);
    }
  }

  /** A socket whose connect goes to the proxy and asks it for the destination. */
  static final class Socks5Socket extends Socket {
    private final Socks5Proxy proxy;

    Socks5Socket(Socks5Proxy proxy) {
      this.proxy = proxy;
    }

    @Override public void connect(SocketAddress endpoint) throws IOException {
      connect(endpoint, 0);
    }

    @Override public void connect(SocketAddress endpoint, int timeoutMillis) throws IOException {
      InetSocketAddress target = (InetSocketAddress) endpoint;
      String where = "the SOCKS5 proxy " + proxy.host() + ":" + proxy.port();
      try {
        super.connect(new InetSocketAddress(proxy.host(), proxy.port()), timeoutMillis);
      } catch (IOException e) {
        throw new ProxyException("cannot reach " + where + " (" + e.getMessage() + ")");
      }
      int before = getSoTimeout();
      try {
        if (timeoutMillis > 0) setSoTimeout(timeoutMillis); // a silent proxy must not hang the call
        handshake(target, where);
        setSoTimeout(before);
      } catch (IOException | RuntimeException e) {
        close();
        throw e;
      }
    }

    private void handshake(InetSocketAddress target, String where) throws IOException {
      DataInputStream in = new DataInputStream(getInputStream()); // unbuffered: not one byte past the reply
      OutputStream out = getOutputStream();
      out.write(proxy.username() != null ? new byte[] {5, 2, 0, 2} : new byte[] {5, 1, 0});
      out.flush();
      if (in.readUnsignedByte() != 5) throw new ProxyException(where + " is not a SOCKS5 proxy");
      int method = in.readUnsignedByte();
      if (method == 2 && proxy.username() != null) {
        byte[] user = proxy.username().getBytes(StandardCharsets.UTF_8);
        byte[] pass = proxy.password().reveal().getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream login = new ByteArrayOutputStream();
        login.write(1);
        login.write(user.length);
        login.write(user, 0, user.length);
        login.write(pass.length);
        login.write(pass, 0, pass.length);
        login.writeTo(out);
        out.flush();
        in.readUnsignedByte();
        if (in.readUnsignedByte() != 0) throw new ProxyException(where + " refused user '" + proxy.username() + "'");
      } else if (method != 0) {
        throw new ProxyException(where + " wants login method " + method
            + (proxy.username() == null ? "; put user:pass in SOCKS5_PROXY" : ", which we do not offer"));
      }
      ByteArrayOutputStream req = new ByteArrayOutputStream();
      req.write(new byte[] {5, 1, 0}, 0, 3);
      InetAddress address = target.getAddress();
      String host = target.getHostString();
      if (address == null || address.isAnyLocalAddress() && !host.equals(address.getHostAddress())) {
        byte[] name = host.getBytes(StandardCharsets.US_ASCII);
        req.write(3);
        req.write(name.length);
        req.write(name, 0, name.length);
      } else {
        byte[] ip = address.getAddress();
        req.write(ip.length == 4 ? 1 : 4);
        req.write(ip, 0, ip.length);
      }
      req.write(target.getPort() >>> 8);
      req.write(target.getPort() & 0xFF);
      req.writeTo(out);
      out.flush();
      if (in.readUnsignedByte() != 5) throw new ProxyException(where + " answered CONNECT with another version");
      int reply = in.readUnsignedByte();
      in.readUnsignedByte();
      int atyp = in.readUnsignedByte();
      int skip = atyp == 1 ? 4 : atyp == 4 ? 16 : atyp == 3 ? in.readUnsignedByte() : -1;
      if (skip < 0) throw new ProxyException(where + " answered CONNECT with address type " + atyp);
      in.readFully(new byte[skip + 2]);
      if (reply != 0) {
        throw new ProxyException(where + " could not connect to " + host + ":" + target.getPort() + " (SOCKS5 reply " + reply + ")");
      }
    }
  }
}
