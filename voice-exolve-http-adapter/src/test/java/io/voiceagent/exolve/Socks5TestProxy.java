package io.voiceagent.exolve;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A small real SOCKS5 proxy (RFC 1928 CONNECT, RFC 1929 login) for tests: it resolves every host name to
 * 127.0.0.1, so a name only the proxy "knows" proves resolution happened there. Records what it was asked.
 */
final class Socks5TestProxy implements AutoCloseable {
  private final ServerSocket server;
  private final String user;
  private final String password;
  final List<String> connects = new CopyOnWriteArrayList<>();
  final List<String> logins = new CopyOnWriteArrayList<>();

  Socks5TestProxy(String user, String password) throws IOException {
    this.user = user;
    this.password = password;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread t = new Thread(this::acceptLoop, "socks5-test-proxy");
    t.setDaemon(true);
    t.start();
  }

  int port() {
    return server.getLocalPort();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Thread t = new Thread(() -> serve(client), "socks5-test-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket client) {
    try (client) {
      DataInputStream in = new DataInputStream(client.getInputStream());
      OutputStream out = client.getOutputStream();
      if (in.readUnsignedByte() != 5) return;
      byte[] methods = new byte[in.readUnsignedByte()];
      in.readFully(methods);
      boolean offersLogin = new String(methods, StandardCharsets.ISO_8859_1).indexOf(2) >= 0;
      if (user != null) {
        if (!offersLogin) {
          out.write(new byte[] {5, (byte) 0xFF});
          return;
        }
        out.write(new byte[] {5, 2});
        in.readUnsignedByte();
        byte[] u = new byte[in.readUnsignedByte()];
        in.readFully(u);
        byte[] p = new byte[in.readUnsignedByte()];
        in.readFully(p);
        String gotUser = new String(u, StandardCharsets.UTF_8);
        logins.add(gotUser);
        boolean ok = gotUser.equals(user) && new String(p, StandardCharsets.UTF_8).equals(password);
        out.write(new byte[] {1, (byte) (ok ? 0 : 1)});
        if (!ok) return;
      } else {
        out.write(new byte[] {5, 0});
      }
      in.readUnsignedByte();
      in.readUnsignedByte();
      in.readUnsignedByte();
      int atyp = in.readUnsignedByte();
      String host;
      if (atyp == 3) {
        byte[] name = new byte[in.readUnsignedByte()];
        in.readFully(name);
        host = new String(name, StandardCharsets.US_ASCII);
      } else {
        byte[] ip = new byte[atyp == 1 ? 4 : 16];
        in.readFully(ip);
        host = InetAddress.getByAddress(ip).getHostAddress();
      }
      int port = in.readUnsignedShort();
      connects.add(host + ":" + port);
      try (Socket upstream = new Socket(InetAddress.getLoopbackAddress(), port)) {
        out.write(new byte[] {5, 0, 0, 1, 127, 0, 0, 1, 0, 0});
        out.flush();
        Thread pump = new Thread(() -> copy(in, safeOut(upstream)), "socks5-test-pump");
        pump.setDaemon(true);
        pump.start();
        copy(upstream.getInputStream(), out);
      }
    } catch (IOException e) {
      // the client went away
    }
  }

  private static OutputStream safeOut(Socket s) {
    try {
      return s.getOutputStream();
    } catch (IOException e) {
      return OutputStream.nullOutputStream();
    }
  }

  private static void copy(InputStream in, OutputStream out) {
    byte[] buf = new byte[8192];
    try {
      for (int n; (n = in.read(buf)) > 0; ) {
        out.write(buf, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // closed
    }
  }

  @Override public void close() throws IOException {
    server.close();
  }
}
