package io.voiceagent.rtp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;

/** A real UDP socket on loopback playing the far end (or an attacker) in tests. */
final class TestPeer implements AutoCloseable {
  static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  final DatagramSocket socket;

  TestPeer() {
    try {
      socket = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  TestPeer(int port) throws IOException {
    socket = new DatagramSocket(new InetSocketAddress(LOOPBACK, port));
  }

  InetSocketAddress address() {
    return (InetSocketAddress) socket.getLocalSocketAddress();
  }

  void send(byte[] packet, InetSocketAddress to) {
    try {
      socket.send(new DatagramPacket(packet, packet.length, to));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A received datagram. */
  record Datagram(byte[] data, InetSocketAddress source) {
    int payloadType() {
      return data[1] & 0x7F;
    }

    boolean marker() {
      return (data[1] & 0x80) != 0;
    }

    int sequence() {
      return ((data[2] & 0xFF) << 8) | (data[3] & 0xFF);
    }

    int timestamp() {
      return RtpHeader.readInt(data, 4);
    }

    long ssrc() {
      return RtpHeader.readInt(data, 8) & 0xFFFF_FFFFL;
    }

    byte[] payload() {
      return Arrays.copyOfRange(data, 12, data.length);
    }
  }

  /** The next datagram, or null after {@code timeout}. */
  Datagram receive(Duration timeout) {
    byte[] buf = new byte[2048];
    DatagramPacket p = new DatagramPacket(buf, buf.length);
    try {
      socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
      socket.receive(p);
    } catch (SocketTimeoutException e) {
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Datagram(Arrays.copyOf(buf, p.getLength()), (InetSocketAddress) p.getSocketAddress());
  }

  /** Waits for the next datagram with payload type {@code pt}, skipping others; fails after the timeout. */
  Datagram receivePayloadType(int pt, Duration timeout) {
    long end = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = end - System.nanoTime();
      if (left <= 0) throw new AssertionError("no packet with payload type " + pt + " within " + timeout);
      Datagram d = receive(Duration.ofNanos(left));
      if (d != null && d.payloadType() == pt) return d;
    }
  }

  Datagram mustReceive(Duration timeout) {
    Datagram d = receive(timeout);
    if (d == null) throw new AssertionError("nothing received within " + timeout);
    return d;
  }

  static byte[] rtp(boolean marker, int pt, int seq, int ts, long ssrc, byte[] payload) {
    byte[] b = new byte[12 + payload.length];
    RtpHeader.write(b, 0, marker, pt, seq & 0xFFFF, ts, ssrc);
    System.arraycopy(payload, 0, b, 12, payload.length);
    return b;
  }

  static byte[] filled(int n, int value) {
    byte[] b = new byte[n];
    Arrays.fill(b, (byte) value);
    return b;
  }

  @Override public void close() {
    socket.close();
  }
}
