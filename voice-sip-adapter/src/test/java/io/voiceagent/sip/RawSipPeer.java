package io.voiceagent.sip;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * A SIP peer on a plain UDP socket that sends exactly the bytes a test writes: malformed messages that no
 * SIP tool would produce, and flows sipp cannot script (an identical 200 retransmitted after its ACK).
 */
final class RawSipPeer implements AutoCloseable {
  final DatagramSocket socket;
  private final InetSocketAddress target;

  RawSipPeer(InetSocketAddress target) throws IOException {
    this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    this.target = target;
  }

  int port() {
    return socket.getLocalPort();
  }

  void send(String message) throws IOException {
    send(message.replace("\n", "\r\n").replace("\r\r\n", "\r\n").getBytes(StandardCharsets.ISO_8859_1));
  }

  void send(byte[] bytes) throws IOException {
    socket.send(new DatagramPacket(bytes, bytes.length, target));
  }

  /** The next datagram as text, or null after {@code timeout}. */
  String receive(Duration timeout) throws IOException {
    byte[] buf = new byte[65535];
    DatagramPacket p = new DatagramPacket(buf, buf.length);
    socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
    try {
      socket.receive(p);
    } catch (SocketTimeoutException e) {
      return null;
    }
    return new String(p.getData(), 0, p.getLength(), StandardCharsets.ISO_8859_1);
  }

  /** Receives until a message whose first line starts with {@code prefix}, skipping keepalives and others. */
  String await(String prefix, Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      String m = left > 0 ? receive(Duration.ofNanos(left)) : null;
      assertNotNull(m, "no message starting '" + prefix + "' within " + timeout);
      if (m.startsWith(prefix)) return m;
    }
  }

  /** Receives until a response for {@code callId} arrives, skipping everything else. */
  String awaitResponse(String callId, Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      String m = left > 0 ? receive(Duration.ofNanos(left)) : null;
      assertNotNull(m, "no response for Call-ID " + callId + " within " + timeout);
      if (m.startsWith("SIP/2.0 ") && callId.equals(header(m, "Call-ID"))) return m;
    }
  }

  /** A header's value (first occurrence, name case-insensitive), or null. */
  static String header(String message, String name) {
    for (String line : message.split("\r\n")) {
      if (line.isEmpty()) break;
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
        return line.substring(colon + 1).trim();
      }
    }
    return null;
  }

  /** An OPTIONS the user agent must answer: proves it is alive after abuse. */
  String options(String callId) {
    return "OPTIONS sip:" + SipTestSupport.USER + "@127.0.0.1 SIP/2.0\n"
        + "Via: SIP/2.0/UDP 127.0.0.1:" + port() + ";rport;branch=z9hG4bK" + callId + "\n"
        + "From: <sip:probe@127.0.0.1>;tag=p" + callId + "\n"
        + "To: <sip:" + SipTestSupport.USER + "@127.0.0.1>\n"
        + "Call-ID: " + callId + "\n"
        + "CSeq: 1 OPTIONS\n"
        + "Max-Forwards: 70\n"
        + "Content-Length: 0\n\n";
  }

  @Override public void close() {
    socket.close();
  }
}
