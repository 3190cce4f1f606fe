package io.voiceagent.rtp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code rtp-io} thread: a selector over the RTP and RTCP sockets of many sessions. It receives every
 * ready datagram into one reused buffer and hands it to its session, which validates, latches and queues it;
 * nothing here allocates per packet (the JDK reuses the sender address while the sender stays the same).
 *
 * <p>Registering and closing channels are queued to this thread: a channel registered with a selector is
 * only really closed — its port free again — once the selector has dropped it, so {@link #close} returns
 * after that has happened and the ports are back in the pool.
 */
final class RtpIoLoop implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(RtpIoLoop.class);
  /**
   * Datagrams read per readiness event. One: a call's socket rarely holds more than one packet, and reading
   * on until the socket is empty would cost a second, empty system call per packet. The selector is
   * level-triggered, so a socket with more waiting is simply reported again at the next select.
   */
  private static final int BATCH = 1;
  private static final int BUFFER_BYTES = 2048;

  private final String name;
  private final PacerClock clock;
  private final RtpPortPool ports;
  private final Selector selector;
  private final ConcurrentLinkedQueue<Runnable> ops = new ConcurrentLinkedQueue<>();
  private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES); // io thread only
  private final byte[] bytes = buffer.array();
  private final RtpHeader header = new RtpHeader();                   // io thread only
  private final Consumer<SelectionKey> onReady = this::ready;
  private volatile boolean running = true;
  private volatile Thread thread;
  private volatile long receiveErrors;

  /** What a selection key is attached to. */
  private static final class Endpoint {
    final DefaultRtpSession session;
    final boolean rtcp;

    Endpoint(DefaultRtpSession session, boolean rtcp) {
      this.session = session;
      this.rtcp = rtcp;
    }
  }

  RtpIoLoop(String name, PacerClock clock, RtpPortPool ports) {
    this.name = name;
    this.clock = clock;
    this.ports = ports;
    try {
      this.selector = Selector.open();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open a selector for " + name, e);
    }
  }

  void register(DefaultRtpSession session) {
    ops.add(() -> {
      try {
        session.lease().rtp().register(selector, SelectionKey.OP_READ, new Endpoint(session, false));
        session.lease().rtcp().register(selector, SelectionKey.OP_READ, new Endpoint(session, true));
      } catch (ClosedChannelException e) {
        log.debug("RTP :{} closed before it was registered", session.localPort());
      }
    });
    selector.wakeup();
  }

  /**
   * Closes the session's channels and gives its ports back, on this thread, and waits for that. Called
   * from a callback on this thread it cannot wait (the selector is mid-selection): the ports come back right
   * after the current selection. After the loop stopped it is done on the caller's thread.
   */
  void close(DefaultRtpSession session) {
    if (Thread.currentThread() == thread) {
      ops.add(() -> closeNow(session));
      return;
    }
    if (!running) {
      closeNow(session);
      return;
    }
    CountDownLatch done = new CountDownLatch(1);
    ops.add(() -> {
      try {
        closeNow(session);
      } finally {
        done.countDown();
      }
    });
    selector.wakeup();
    try {
      if (!done.await(5, TimeUnit.SECONDS)) {
        log.warn("RTP :{} not closed by {} within 5 s; its ports stay leased until it is", session.localPort(), name);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void closeNow(DefaultRtpSession session) {
    RtpPortPool.Lease lease = session.lease();
    synchronized (lease) {
      if (!lease.rtp().isOpen() && !lease.rtcp().isOpen()) return; // already closed
      cancel(lease.rtp());
      cancel(lease.rtcp());
      RtpPortPool.closeQuietly(lease.rtp());
      RtpPortPool.closeQuietly(lease.rtcp());
      if (selector.isOpen()) {
        try {
          selector.selectNow(onReady); // deregisters the cancelled keys, which really closes the sockets
        } catch (IOException e) {
          log.warn("{}: select failed while closing RTP :{}", name, session.localPort(), e);
        }
      }
      ports.release(lease.port());
    }
  }

  private void cancel(DatagramChannel ch) {
    SelectionKey key = ch.keyFor(selector);
    if (key != null) key.cancel();
  }

  void stop() {
    running = false;
    selector.wakeup();
  }

  @Override public void run() {
    thread = Thread.currentThread();
    try {
      while (running) {
        selector.select(onReady);
        runOps();
      }
    } catch (IOException | RuntimeException e) {
      log.error("{} stopped: sessions on it receive nothing more", name, e);
    } finally {
      running = false;
      runOps();
      try {
        selector.close();
      } catch (IOException e) {
        log.debug("{}: closing the selector failed", name, e);
      }
    }
  }

  private void runOps() {
    Runnable op;
    while ((op = ops.poll()) != null) {
      try {
        op.run();
      } catch (RuntimeException e) {
        log.error("{}: a session operation failed", name, e);
      }
    }
  }

  private void ready(SelectionKey key) {
    Endpoint e = (Endpoint) key.attachment();
    DatagramChannel ch = (DatagramChannel) key.channel();
    for (int i = 0; i < BATCH; i++) {
      buffer.clear();
      SocketAddress from;
      try {
        from = ch.receive(buffer);
      } catch (IOException ex) {
        if (ch.isOpen()) {
          receiveErrors++;
          log.debug("{}: receive on RTP :{} failed: {}", name, e.session.localPort(), ex.toString());
        }
        return;
      }
      if (from == null) return;
      long arrival = clock.nanoTime();
      int len = buffer.position();
      boolean truncated = len == BUFFER_BYTES; // larger than any RTP or RTCP packet we take: cut short
      try {
        if (e.rtcp) e.session.onRtcp(bytes, len, (InetSocketAddress) from, arrival, truncated);
        else e.session.onRtp(bytes, len, (InetSocketAddress) from, arrival, header, truncated);
      } catch (RuntimeException ex) {
        // a bug, not bad input (bad input is counted): keep the loop and the other calls alive
        log.error("RTP :{} failed on a packet from {}", e.session.localPort(), from, ex);
      }
    }
  }

  long receiveErrors() {
    return receiveErrors;
  }

  @Override public String toString() {
    return name + (running ? "[running]" : "[stopped]");
  }
}
