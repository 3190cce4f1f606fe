package io.voiceagent.elevenlabs;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small but real SOCKS5 proxy on loopback (RFC 1928 CONNECT, RFC 1929 username/password), for tests: it
 * resolves names itself, connects, answers with its bound address and relays bytes both ways. It writes down
 * every CONNECT so a test can see what went through it.
 */
final class Socks5TestProxy implements AutoCloseable {
  /** One CONNECT as the proxy received it: address type (1 IPv4, 3 name, 4 IPv6), host and port. */
  record Connect(int addressType, String host, int port) {}

  private final ServerSocket server;
  private final String user;
  private final String password;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final List<Thread> threads = new CopyOnWriteArrayList<>();
  final List<Connect> connects = new CopyOnWriteArrayList<>();
  final AtomicInteger loginsRefused = new AtomicInteger();
  final AtomicInteger loginsAccepted = new AtomicInteger();

  /** {@code user} null: no login required (method 0). */
  Socks5TestProxy(String user, String password) throws IOException {
    this.user = user;
    this.password = password;
    this.server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
    start("socks5-accept", this::acceptLoop);
  }

  int port() {
    return server.getLocalPort();
  }

  private void start(String name, Runnable r) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    threads.add(t);
    t.start();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        sockets.add(client);
        start("socks5-conn", () -> serve(client));
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void serve(Socket client) {
    try {
      DataInputStream in = new DataInputStream(client.getInputStream());
      OutputStream out = client.getOutputStream();
      if (in.readUnsignedByte() != 5) throw new IOException("not SOCKS5");
      int n = in.readUnsignedByte();
      byte[] methods = new byte[n];
      in.readFully(methods);
      int wanted = user == null ? 0x00 : 0x02;
      boolean offered = false;
      for (byte m : methods) offered |= (m & 0xFF) == wanted;
      if (!offered) {
        out.write(new byte[] {5, (byte) 0xFF});
        out.flush();
        client.close();
        return;
      }
      out.write(new byte[] {5, (byte) wanted});
      out.flush();
      if (wanted == 0x02) {
        if (in.readUnsignedByte() != 1) throw new IOException("bad login version");
        byte[] u = new byte[in.readUnsignedByte()];
        in.readFully(u);
        byte[] p = new byte[in.readUnsignedByte()];
        in.readFully(p);
        boolean ok = user.equals(new String(u, StandardCharsets.UTF_8)) && password.equals(new String(p, StandardCharsets.UTF_8));
        out.write(new byte[] {1, (byte) (ok ? 0 : 1)});
        out.flush();
        if (!ok) {
          loginsRefused.incrementAndGet();
          client.close();
          return;
        }
        loginsAccepted.incrementAndGet();
      }
      if (in.readUnsignedByte() != 5 || in.readUnsignedByte() != 1 || in.readUnsignedByte() != 0) {
        throw new IOException("not a CONNECT");
      }
      int atyp = in.readUnsignedByte();
      InetAddress address;
      String host;
      if (atyp == 1 || atyp == 4) {
        byte[] ip = new byte[atyp == 1 ? 4 : 16];
        in.readFully(ip);
        address = InetAddress.getByAddress(ip);
        host = address.getHostAddress();
      } else if (atyp == 3) {
        byte[] name = new byte[in.readUnsignedByte()];
        in.readFully(name);
        host = new String(name, StandardCharsets.US_ASCII);
        address = InetAddress.getByName(host); // the proxy resolves
      } else {
        throw new IOException("address type " + atyp);
      }
      int port = in.readUnsignedShort();
      connects.add(new Connect(atyp, host, port));
      Socket target = new Socket();
      sockets.add(target);
      try {
        target.connect(new InetSocketAddress(address, port), 5_000);
      } catch (IOException e) {
        out.write(new byte[] {5, 5, 0, 1, 0, 0, 0, 0, 0, 0}); // connection refused
        out.flush();
        client.close();
        return;
      }
      byte[] bound = target.getLocalAddress().getAddress();
      out.write(new byte[] {5, 0, 0, 1});
      out.write(bound.length == 4 ? bound : new byte[4]);
      out.write(new byte[] {(byte) (target.getLocalPort() >> 8), (byte) target.getLocalPort()});
      out.flush();
      start("socks5-up", () -> relay(client, target));
      relay(target, client);
    } catch (IOException e) {
      closeQuietly(client);
    }
  }

  private static void relay(Socket from, Socket to) {
    byte[] buf = new byte[16 * 1024];
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      int n;
      while ((n = in.read(buf)) >= 0) {
        out.write(buf, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // one side went away
    } finally {
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }

  @Override public void close() throws IOException {
    server.close();
    for (Socket s : sockets) closeQuietly(s);
    for (Thread t : threads) {
      try {
        t.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
