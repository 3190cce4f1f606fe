package io.voiceagent.sip;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
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
 * Runs the real {@code sipp} (Debian {@code sip-tester}) with a scenario from {@code src/test/resources/sipp}.
 * Its message trace is kept so a failing test can show the exchange. Public (in this module's test-jar) so
 * that the app's end-to-end tests run sipp the same way, with scenarios of their own.
 */
public final class Sipp implements AutoCloseable {
  static final String BINARY = System.getenv().getOrDefault("SIPP", "sipp");

  public final int port;
  public final int mediaPort;
  private final Process process;
  private final Path dir;
  private final String scenario;

  private Sipp(String scenario, int port, int mediaPort, Process process, Path dir) {
    this.scenario = scenario;
    this.port = port;
    this.mediaPort = mediaPort;
    this.process = process;
    this.dir = dir;
  }

  /** sipp as a server (the far end of our outbound calls, or a registrar). */
  static Sipp uas(String scenario, Map<String, String> keys, String... extra) {
    return start(scenario, null, keys, Map.of(), 1, extra);
  }

  /**
   * sipp as a server with extra files in its working directory (audio its scenario plays with
   * {@code rtp_stream}, by file name).
   */
  public static Sipp uas(String scenario, Map<String, String> keys, Map<String, byte[]> files, String... extra) {
    return start(scenario, null, keys, files, 1, extra);
  }

  /** sipp as a server for {@code calls} calls. */
  static Sipp uas(String scenario, Map<String, String> keys, int calls, String... extra) {
    return start(scenario, null, keys, Map.of(), calls, extra);
  }

  /** sipp as a client sending to {@code target} ({@code host:port}), {@code calls} times. */
  static Sipp uac(String scenario, String target, Map<String, String> keys, int calls, String... extra) {
    return start(scenario, target, keys, Map.of(), calls, extra);
  }

  /**
   * sipp as a client on a port the test chose (a platform our user agent only accepts calls from: its proxy),
   * sending {@code scenario} once to {@code target} as {@code user}.
   */
  public static Sipp uacFrom(int port, String scenario, String target, String user, Map<String, String> keys) {
    return start(port, scenario, target, keys, Map.of(), 1, "-s", user);
  }

  private static Sipp start(String scenario, String target, Map<String, String> keys, Map<String, byte[]> files,
      int calls, String... extra) {
    return start(freeUdpPort(), scenario, target, keys, files, calls, extra);
  }

  private static Sipp start(int port, String scenario, String target, Map<String, String> keys,
      Map<String, byte[]> files, int calls, String... extra) {
    int mediaPort = freeEvenUdpPort();
    try {
      Path dir = Files.createTempDirectory("sipp-");
      Path file = Path.of(Sipp.class.getResource("/sipp/" + scenario).toURI());
      // Scenarios play this file with rtp_stream (sipp reads it from its working directory).
      Files.write(dir.resolve("tone_1khz.pcma"), toneAlaw(1000, 8000));
      Files.write(dir.resolve("tone_1khz.pcmu"), toneUlaw(1000, 8000));
      for (Map.Entry<String, byte[]> f : files.entrySet()) Files.write(dir.resolve(f.getKey()), f.getValue());
      List<String> cmd = new ArrayList<>(List.of(BINARY, "-sf", file.toString(), "-i", "127.0.0.1", "-p",
          Integer.toString(port), "-mp", Integer.toString(mediaPort), "-m", Integer.toString(calls), "-nostdin",
          "-trace_msg", "-message_file", dir.resolve("messages.log").toString(), "-trace_err", "-error_file",
          dir.resolve("errors.log").toString(), "-timeout", "120s", "-timeout_error"));
      keys.forEach((k, v) -> {
        cmd.add("-key");
        cmd.add(k);
        cmd.add(v);
      });
      cmd.addAll(List.of(extra));
      if (target != null) cmd.add(target);
      Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
          .redirectOutput(dir.resolve("screen.log").toFile()).start();
      Sipp sipp = new Sipp(scenario, port, mediaPort, p, dir);
      if (target == null) sipp.awaitListening(List.of(extra).contains("t1"));
      return sipp;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + BINARY + " (apt-get install sip-tester)", e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Waits until sipp's SIP socket is bound (read from {@code /proc/net}, without touching the socket): a call
   * placed before that would meet a closed TCP port.
   */
  private void awaitListening(boolean tcp) {
    Path table = Path.of(tcp ? "/proc/net/tcp" : "/proc/net/udp");
    String hexPort = String.format(":%04X", port);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline && process.isAlive()) {
      try {
        for (String line : Files.readAllLines(table)) {
          String[] f = line.trim().split("\\s+");
          if (f.length > 3 && f[1].endsWith(hexPort) && (!tcp || f[3].equals("0A"))) return;
        }
        process.waitFor(10, TimeUnit.MILLISECONDS);
      } catch (IOException e) {
        return; // no /proc: carry on and let the test's own timeouts judge
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    throw new IllegalStateException("sipp did not bind port " + port + " within 30 s:\n" + trace());
  }

  /** sipp's exit code once it has finished (0: every call passed), or -1 after {@code timeout}. */
  public int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) return -1;
    return process.exitValue();
  }

  /** The exchange as sipp traced it, plus its errors, for assertion messages. */
  public String trace() {
    StringBuilder b = new StringBuilder("sipp ").append(scenario).append(" on ").append(port).append('\n');
    for (String f : List.of("errors.log", "messages.log", "screen.log")) {
      Path p = dir.resolve(f);
      try {
        if (Files.exists(p)) {
          String s = Files.readString(p, StandardCharsets.ISO_8859_1);
          if (s.length() > 20000) s = s.substring(s.length() - 20000);
          b.append("---- ").append(f).append('\n').append(s).append('\n');
        }
      } catch (IOException e) {
        b.append("(cannot read ").append(f).append(")\n");
      }
    }
    return b.toString();
  }

  public String messages() {
    try {
      Path p = dir.resolve("messages.log");
      return Files.exists(p) ? Files.readString(p, StandardCharsets.ISO_8859_1) : "";
    } catch (IOException e) {
      return "";
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

  /** {@code samples} of a sine at {@code hz} (amplitude 8000) at 8 kHz, G.711 A-law (ITU-T G.191 rules). */
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

  /** The same tone in G.711 µ-law (ITU-T G.191 rules). */
  static byte[] toneUlaw(int hz, int samples) {
    byte[] out = new byte[samples];
    for (int i = 0; i < samples; i++) {
      int x = (int) Math.round(8000 * Math.sin(2 * Math.PI * hz * i / 8000.0));
      int a = ((x >= 0 ? x : ~x) >> 2) + 33;
      if (a > 8191) a = 8191;
      int seg = 1 + (32 - Integer.numberOfLeadingZeros(a >> 6));
      int code = ((8 - seg) << 4) | (15 - ((a >> seg) & 15));
      if (x >= 0) code |= 0x80;
      out[i] = (byte) code;
    }
    return out;
  }

  public static int freeUdpPort() {
    try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A port free for both UDP and TCP (SIP over TCP tests). */
  static int freeUdpAndTcpPort() {
    for (int i = 0; i < 50; i++) {
      int p = freeUdpPort();
      try (ServerSocket s = new ServerSocket(p, 1, InetAddress.getLoopbackAddress())) {
        return p;
      } catch (IOException e) {
        // taken for TCP: try another
      }
    }
    throw new IllegalStateException("no port free for both UDP and TCP");
  }

  /** An even port whose next three are free too: sipp binds audio RTP/RTCP there and video on the two after. */
  static int freeEvenUdpPort() {
    for (int i = 0; i < 200; i++) {
      int p = freeUdpPort();
      if (p % 2 != 0 || p > 65531) continue;
      try (DatagramSocket a = new DatagramSocket(p + 1, InetAddress.getLoopbackAddress());
           DatagramSocket b = new DatagramSocket(p + 2, InetAddress.getLoopbackAddress());
           DatagramSocket c = new DatagramSocket(p + 3, InetAddress.getLoopbackAddress())) {
        return p;
      } catch (IOException e) {
        // a neighbour is taken: try another
      }
    }
    throw new IllegalStateException("no four free UDP ports in a row for sipp's media");
  }
}
