package io.voiceagent.exolve;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real {@code sipp} ({@code /usr/bin/sipp}, Debian {@code sip-tester}) playing Exolve's SIP side: a UAC that
 * brings a call's leg to our user agent as an inbound INVITE. Scenarios live in {@code src/test/resources/sipp}.
 */
final class Sipp implements AutoCloseable {
  static final String BINARY = System.getenv().getOrDefault("SIPP", "sipp");

  private final Process process;
  private final Path dir;
  private final String scenario;
  final int port;

  private Sipp(String scenario, int port, Process process, Path dir) {
    this.scenario = scenario;
    this.port = port;
    this.process = process;
    this.dir = dir;
  }

  /**
   * sipp on 127.0.0.1:{@code port} sending {@code scenario} once to {@code target} ({@code host:port}) with
   * {@code -s user}; {@code keys} fill the scenario's [fields].
   */
  static Sipp uac(String scenario, int port, String target, String user, Map<String, String> keys) {
    try {
      Path dir = Files.createTempDirectory("sipp-exolve-");
      Path file = Path.of(Sipp.class.getResource("/sipp/" + scenario).toURI());
      Files.write(dir.resolve("tone_1khz.pcma"), toneAlaw(1000, 8000)); // rtp_stream reads it from the working dir
      List<String> cmd = new ArrayList<>(List.of(BINARY, "-sf", file.toString(), "-i", "127.0.0.1", "-p",
          Integer.toString(port), "-mp", Integer.toString(freeEvenUdpPort()), "-m", "1", "-s", user, "-nostdin",
          "-trace_msg", "-message_file", dir.resolve("messages.log").toString(), "-trace_err", "-error_file",
          dir.resolve("errors.log").toString(), "-timeout", "120s", "-timeout_error"));
      keys.forEach((k, v) -> {
        cmd.add("-key");
        cmd.add(k);
        cmd.add(v);
      });
      cmd.add(target);
      Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
          .redirectOutput(dir.resolve("screen.log").toFile()).start();
      return new Sipp(scenario, port, p, dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + BINARY + " (apt-get install sip-tester)", e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** sipp's exit code once it has finished (0: the scenario passed), or -1 after {@code timeout}. */
  int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) return -1;
    return process.exitValue();
  }

  /** The messages sipp sent and received. */
  String messages() {
    return read("messages.log");
  }

  String trace() {
    StringBuilder b = new StringBuilder("sipp ").append(scenario).append(" on ").append(port).append('\n');
    for (String f : List.of("errors.log", "messages.log", "screen.log")) {
      b.append("---- ").append(f).append('\n').append(read(f)).append('\n');
    }
    return b.toString();
  }

  private String read(String name) {
    Path p = dir.resolve(name);
    try {
      if (!Files.exists(p)) return "";
      String s = Files.readString(p, StandardCharsets.ISO_8859_1);
      return s.length() > 20000 ? s.substring(s.length() - 20000) : s;
    } catch (IOException e) {
      return "(cannot read " + name + ")";
    }
  }

  @Override public void close() {
    if (process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** {@code samples} of a 1 kHz-ish sine (amplitude 8000) at 8 kHz as G.711 A-law. */
  static byte[] toneAlaw(int hz, int samples) {
    byte[] out = new byte[samples];
    for (int i = 0; i < samples; i++) {
      int x = (int) Math.round(8000 * Math.sin(2 * Math.PI * hz * i / 8000.0));
      int ix = (x >= 0 ? x : ~x) >> 4;
      if (ix > 15) {
        int e = 1;
        while (ix > 31) {
          ix >>= 1;
          e++;
        }
        ix = ix - 16 + (e << 4);
      }
      if (x >= 0) ix |= 0x80;
      out[i] = (byte) (ix ^ 0x55);
    }
    return out;
  }

  static int freeUdpPort() {
    try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static int freeEvenUdpPort() {
    for (int i = 0; i < 100; i++) {
      int p = freeUdpPort();
      if (p % 2 == 0 && p < 65534) {
        try (DatagramSocket a = new DatagramSocket(p + 1, InetAddress.getLoopbackAddress())) {
          return p;
        } catch (IOException e) {
          // odd neighbour taken
        }
      }
    }
    throw new IllegalStateException("no free even UDP port pair");
  }
}
