package io.voiceagent.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The far ends of the RTP load benchmark, in their own process: {@code N} UDP sockets on loopback, each
 * sending every RTP packet it receives straight back with its own SSRC — a callee who repeats everything.
 * One thread, one selector, no allocation per packet.
 *
 * <p>Protocol on stdin/stdout: prints {@code PORTS p1 p2 …} once bound; on {@code stats} prints
 * {@code STATS received sent p50Micros p99Micros maxMicros} (arrival-gap error of the packets it receives,
 * measured here, in its own process); {@code reset} restarts those counts; end of input stops it.
 *
 * <p>Run: {@code java -cp voice-bench/target/benchmarks.jar io.voiceagent.bench.RtpEchoServer 100}
 */
public final class RtpEchoServer {
  private static final long FRAME_NANOS = 20_000_000L;

  private RtpEchoServer() {}

  public static void main(String[] args) throws Exception {
    int count = Integer.parseInt(args[0]);
    InetAddress bind = InetAddress.getLoopbackAddress();
    Selector selector = Selector.open();
    DatagramChannel[] channels = new DatagramChannel[count];
    long[] lastArrival = new long[count];
    StringBuilder ports = new StringBuilder("PORTS");
    for (int i = 0; i < count; i++) {
      DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET);
      ch.bind(new InetSocketAddress(bind, 0));
      ch.configureBlocking(false);
      ch.register(selector, SelectionKey.OP_READ, i);
      channels[i] = ch;
      ports.append(' ').append(((InetSocketAddress) ch.getLocalAddress()).getPort());
    }
    System.out.println(ports);
    System.out.flush();

    long[] gapHistogram = new long[20_001]; // 10 µs buckets
    long[] counters = new long[3];           // received, sent, max gap error ns
    Object lock = new Object();
    Thread control = new Thread(() -> control(lock, counters, gapHistogram, lastArrival, selector), "echo-control");
    control.setDaemon(true);
    control.start();

    ByteBuffer buffer = ByteBuffer.allocateDirect(2048);
    while (!stopping) {
      selector.select(key -> {
        int i = (Integer) key.attachment();
        DatagramChannel ch = (DatagramChannel) key.channel();
        try {
          for (int n = 0; n < 1; n++) { // one per event: level-triggered, and no empty second receive
            buffer.clear();
            SocketAddress from = ch.receive(buffer);
            if (from == null) return;
            long now = System.nanoTime();
            buffer.flip();
            int pt = buffer.remaining() >= 2 ? buffer.get(1) & 0xFF : 0;
            if (pt >= 200 && pt <= 204) continue; // RTCP that found this port (port + 1 of a neighbour): not ours
            if (buffer.remaining() >= 12) buffer.putInt(8, 0x0EC40000 + i); // our own SSRC
            int len = buffer.remaining();
            synchronized (lock) {
              counters[0]++;
              // the first packet after a pause or reset has no gap; RTCP (port + 1) never comes here
              if (lastArrival[i] != 0) {
                long err = Math.abs(now - lastArrival[i] - FRAME_NANOS);
                gapHistogram[(int) Math.min(err / 10_000, 20_000)]++;
                if (err > counters[2]) counters[2] = err;
              }
              lastArrival[i] = now;
            }
            if (ch.send(buffer, from) == len) {
              synchronized (lock) {
                counters[1]++;
              }
            }
          }
        } catch (IOException e) {
          System.err.println("echo " + i + ": " + e);
        }
      });
    }
    for (DatagramChannel ch : channels) ch.close();
    selector.close();
  }

  private static volatile boolean stopping;

  private static void control(Object lock, long[] counters, long[] histogram, long[] lastArrival, Selector selector) {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        if (line.equals("stats")) {
          synchronized (lock) {
            long total = 0;
            for (long c : histogram) total += c;
            System.out.println("STATS " + counters[0] + " " + counters[1] + " " + percentile(histogram, total, 0.50)
                + " " + percentile(histogram, total, 0.99) + " " + counters[2] / 1000);
          }
          System.out.flush();
        } else if (line.equals("reset")) {
          synchronized (lock) {
            Arrays.fill(histogram, 0);
            Arrays.fill(counters, 0);
            Arrays.fill(lastArrival, 0);
          }
          System.out.println("RESET");
          System.out.flush();
        }
      }
    } catch (IOException e) {
      System.err.println("echo control: " + e);
    }
    stopping = true;
    selector.wakeup();
  }

  private static long percentile(long[] histogram, long total, double q) {
    if (total == 0) return 0;
    long rank = (long) Math.ceil(q * total);
    long seen = 0;
    for (int i = 0; i < histogram.length; i++) {
      seen += histogram[i];
      if (seen >= rank) return (i + 1) * 10L;
    }
    return histogram.length * 10L;
  }
}
