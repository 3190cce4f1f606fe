package io.voiceagent.rtp;

import java.io.IOException;
import java.net.BindException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.util.BitSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The even RTP ports of {@code RTP_PORT_MIN..RTP_PORT_MAX}, each with its RTCP port above it.
 *
 * <p>Ports are handed out round-robin, so a port just given back is the last to be reused: stray packets of
 * an ended call then find no session rather than the next call. A pair another process holds is skipped.
 * When every pair has been tried the call fails with {@link RtpPortsExhaustedException} at once.
 *
 * <p>Thread-safe: the bookkeeping is under this object's lock; binding happens outside it.
 */
final class RtpPortPool {
  private static final Logger log = LoggerFactory.getLogger(RtpPortPool.class);

  /** Two bound, non-blocking channels: RTP on an even port and RTCP on the next. The caller owns them. */
  record Lease(int port, DatagramChannel rtp, DatagramChannel rtcp) {}

  private final InetAddress bindAddress;
  private final int portMin;
  private final int portMax;
  private final int firstPort;
  private final int pairs;
  private final BitSet inUse;   // guarded by this
  private int cursor;           // guarded by this: next pair index to try
  private int leased;           // guarded by this

  RtpPortPool(InetAddress bindAddress, int portMin, int portMax) {
    this.bindAddress = bindAddress;
    this.portMin = portMin;
    this.portMax = portMax;
    this.firstPort = (portMin + 1) & ~1;
    this.pairs = (portMax - firstPort + 1) / 2;
    if (pairs <= 0) throw new IllegalArgumentException("no RTP port pair in " + portMin + ".." + portMax);
    this.inUse = new BitSet(pairs);
  }

  /**
   * Binds the next free pair.
   *
   * @throws RtpPortsExhaustedException every pair is leased or held by another process
   * @throws RtpException               a socket could not be opened for another reason (e.g. no file descriptors)
   */
  Lease acquire() {
    for (int attempt = 0; attempt < pairs; attempt++) {
      int index;
      synchronized (this) {
        index = inUse.nextClearBit(cursor);
        if (index >= pairs) index = inUse.nextClearBit(0);
        if (index >= pairs) break;
        inUse.set(index);
        leased++;
        cursor = index + 1 == pairs ? 0 : index + 1;
      }
      int port = firstPort + 2 * index;
      try {
        Lease lease = bind(port);
        if (lease != null) return lease;
      } catch (IOException e) {
        free(index);
        throw new RtpException("cannot open RTP sockets on " + bindAddress.getHostAddress() + ":" + port + ": " + e,
            e);
      }
      free(index); // taken by another process; try the next pair
    }
    throw new RtpPortsExhaustedException(portMin, portMax);
  }

  /** Gives a pair back. The caller has closed both channels. */
  void release(int port) {
    int index = (port - firstPort) / 2;
    if (index < 0 || index >= pairs || port % 2 != 0) {
      throw new IllegalArgumentException("port " + port + " is not an RTP port of " + portMin + ".." + portMax);
    }
    synchronized (this) {
      if (!inUse.get(index)) throw new IllegalStateException("RTP port " + port + " was not leased");
    }
    free(index);
  }

  synchronized int leased() {
    return leased;
  }

  int capacity() {
    return pairs;
  }

  private synchronized void free(int index) {
    inUse.clear(index);
    leased--;
  }

  /** Null when a port is taken by someone else. */
  private Lease bind(int port) throws IOException {
    DatagramChannel rtp = open();
    DatagramChannel rtcp = null;
    try {
      rtp.bind(new InetSocketAddress(bindAddress, port));
      rtcp = open();
      rtcp.bind(new InetSocketAddress(bindAddress, port + 1));
      return new Lease(port, rtp, rtcp);
    } catch (BindException e) {
      log.debug("RTP port pair {}/{} is taken by another process: {}", port, port + 1, e.getMessage());
      closeQuietly(rtp);
      closeQuietly(rtcp);
      return null;
    } catch (IOException | RuntimeException e) {
      closeQuietly(rtp);
      closeQuietly(rtcp);
      throw e;
    }
  }

  private DatagramChannel open() throws IOException {
    DatagramChannel ch = bindAddress instanceof Inet4Address
        ? DatagramChannel.open(StandardProtocolFamily.INET)
        : DatagramChannel.open();
    try {
      ch.configureBlocking(false);
    } catch (IOException e) {
      closeQuietly(ch);
      throw e;
    }
    return ch;
  }

  static void closeQuietly(DatagramChannel ch) {
    if (ch == null) return;
    try {
      ch.close();
    } catch (IOException e) {
      log.debug("closing {} failed", ch, e);
    }
  }

  @Override public String toString() {
    return "RtpPortPool[" + portMin + ".." + portMax + ", " + leased() + "/" + pairs + " leased]";
  }
}
