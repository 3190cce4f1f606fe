package io.voiceagent.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class RtpPortPoolTest extends EngineFixture {

  @Test void givenEveryPairLeased_whenAnotherCallOpens_thenItFailsAtOnceWithPortsExhausted() {
    RtpConfig config = config(3);
    engine(config);
    List<RtpSession> open = new ArrayList<>();
    RtpPortsExhaustedException e = assertThrows(RtpPortsExhaustedException.class, () -> {
      while (true) open.add(engine.open(RtpSession.Listener.NONE));
    });
    assertTrue(open.size() <= 3, "opened " + open.size() + " sessions on 3 pairs");
    assertTrue(e.getMessage().contains(config.portMin() + ".." + config.portMax()), e.getMessage());
    for (RtpSession s : open) {
      assertEquals(0, s.localPort() % 2, "even RTP port");
      assertTrue(s.localPort() >= config.portMin() && s.localPort() + 1 <= config.portMax(), "in range");
    }
    if (!open.isEmpty()) {
      open.get(0).close();
      RtpSession again = engine.open(RtpSession.Listener.NONE);
      assertEquals(open.get(0).localPort(), again.localPort(), "the freed pair is usable again");
    }
  }

  @Test void givenPortHeldElsewhere_whenOpening_thenThatPairIsSkipped() throws IOException {
    RtpConfig config = config(4);
    int first = config.firstPort();
    try (DatagramSocket squatter = new DatagramSocket(new InetSocketAddress(TestPeer.LOOPBACK, first + 1))) {
      engine(config);
      RtpSession s = engine.open(RtpSession.Listener.NONE);
      assertNotEquals(first, s.localPort(), "its RTCP port is taken, so the pair is");
      assertEquals(1, engine.portsInUse());
    }
  }

  @Test void givenTenThousandOpenCloseCycles_whenDone_thenNoPortAndNoFileDescriptorLeaks() throws Exception {
    RtpConfig config = config(50);
    engine(config);
    TestPeer peer = closeLater(new TestPeer());
    Set<Integer> bindableBefore = bindable(config);
    for (int i = 0; i < 200; i++) cycle(peer, i); // warm up: classes loaded, buffers cached
    int fdsBefore = openFileDescriptors();
    for (int i = 0; i < 10_000; i++) cycle(peer, i);
    assertEquals(0, engine.portsInUse(), "ports still leased");
    assertEquals(0, engine.sessionCount());
    int fdsAfter = openFileDescriptors();
    // 20,000 sockets were opened; a leak shows as thousands. Allow 2 for the JVM opening a file meanwhile.
    assertTrue(fdsAfter - fdsBefore <= 2, "file descriptors: " + fdsBefore + " before, " + fdsAfter + " after");
    assertEquals(bindableBefore, bindable(config), "every port of the range is free again");
  }

  private void cycle(TestPeer peer, int i) {
    RtpSession s = engine.open(RtpSession.Listener.NONE);
    if (i % 2 == 0) s.start(peer.address(), RtpCodec.PCMU, 101); // started sessions also send RTCP BYE
    s.close();
  }

  private static int openFileDescriptors() {
    String[] fds = new File("/proc/self/fd").list();
    if (fds == null) throw new AssertionError("/proc/self/fd is not readable: this test needs Linux");
    return fds.length;
  }

  private static Set<Integer> bindable(RtpConfig config) {
    Set<Integer> ports = new TreeSet<>();
    for (int p = config.portMin(); p <= config.portMax(); p++) {
      try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(TestPeer.LOOPBACK, p))) {
        ports.add(p);
      } catch (IOException e) {
        // held by someone else (before and after alike)
      }
    }
    return ports;
  }
}
