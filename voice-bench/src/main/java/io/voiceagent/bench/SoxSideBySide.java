package io.voiceagent.bench;

import io.voiceagent.core.audio.Resampler;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * One hour of 8 kHz audio through our {@link Resampler} in 20 ms frames, against {@code sox} doing the same
 * conversion on the same samples, timed in the same run. Prints a table: our time, sox's time at its quality
 * settings, and the ratio.
 *
 * <pre>java -cp voice-bench/target/benchmarks.jar io.voiceagent.bench.SoxSideBySide [minutes]</pre>
 *
 * Sox's time includes starting the process and reading the input file from the page cache (written before the
 * clock starts); its output goes to a discarding pipe. Ours is plain processing of an in-memory array, best of
 * three after a warm-up.
 */
public final class SoxSideBySide {
  private SoxSideBySide() {}

  public static void main(String[] args) throws Exception {
    int minutes = args.length > 0 ? Integer.parseInt(args[0]) : 60;
    int samples = minutes * 60 * 8000;
    short[] audio = speechLike(samples);
    Path dir = Files.createTempDirectory("sox-side");
    try {
      Path raw8 = dir.resolve("in8k.s16");
      write(raw8, audio);
      System.out.printf("%d min of 8 kHz audio (%d samples), sox %s%n", minutes, samples, soxVersion());
      System.out.printf("%-16s %10s %-28s %10s %8s%n", "conversion", "ours ms", "sox", "sox ms", "sox/ours");
      for (int rate : new int[] {16000, 22050, 48000}) {
        double ours = best(() -> resampleAll(Resampler.create(8000, rate), audio, 160));
        for (String quality : new String[] {"-q", "-l", "-m", "-h"}) {
          double sox = timeSox(raw8, 8000, rate, quality);
          System.out.printf("%-16s %10.0f %-28s %10.0f %8.2f%n", "8000→" + rate, ours, "rate " + quality, sox, sox / ours);
        }
      }
      // down: the same hour at 16 kHz back to 8 kHz
      short[] at16 = resampleToArray(Resampler.create(8000, 16000), audio);
      Path raw16 = dir.resolve("in16k.s16");
      write(raw16, at16);
      double ours = best(() -> resampleAll(Resampler.create(16000, 8000), at16, 320));
      for (String quality : new String[] {"-q", "-l", "-m", "-h"}) {
        double sox = timeSox(raw16, 16000, 8000, quality);
        System.out.printf("%-16s %10.0f %-28s %10.0f %8.2f%n", "16000→8000", ours, "rate " + quality, sox, sox / ours);
      }
    } finally {
      try (var files = Files.list(dir)) {
        for (Path p : (Iterable<Path>) files::iterator) Files.deleteIfExists(p);
      }
      Files.deleteIfExists(dir);
    }
  }

  interface Job {
    long run();
  }

  static double best(Job job) {
    long check = job.run(); // warm-up
    double best = Double.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      long t0 = System.nanoTime();
      check += job.run();
      best = Math.min(best, (System.nanoTime() - t0) / 1e6);
    }
    if (check == 42) System.out.println(); // keeps the work observable
    return best;
  }

  /**
   * Runs {@code in} through {@code r} in chunks of {@code chunk} samples, as the media pacer does, into one reused
   * frame buffer (sox's output is discarded too); returns a checksum.
   */
  static long resampleAll(Resampler r, short[] in, int chunk) {
    short[] out = new short[r.maxOutputSamples(chunk)];
    long sum = 0;
    for (int off = 0; off < in.length; off += chunk) {
      int n = r.process(in, off, Math.min(chunk, in.length - off), out, 0);
      sum += n + out[0];
    }
    return sum;
  }

  /** All of {@code in} through {@code r}, kept. */
  static short[] resampleToArray(Resampler r, short[] in) {
    short[] out = new short[r.maxOutputSamples(in.length)];
    int n = r.process(in, 0, in.length, out, 0);
    return java.util.Arrays.copyOf(out, n);
  }

  static double timeSox(Path in, int from, int to, String quality) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("sox", "-D", "-t", "raw", "-e", "signed-integer", "-b", "16", "-L",
        "-r", String.valueOf(from), "-c", "1", in.toString(), "-t", "raw", "-e", "signed-integer", "-b", "16", "-L",
        "-", "rate", quality, String.valueOf(to)));
    double best = Double.MAX_VALUE;
    for (int i = 0; i < 2; i++) {
      long t0 = System.nanoTime();
      Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectError(ProcessBuilder.Redirect.INHERIT).start();
      int rc = p.waitFor();
      if (rc != 0) throw new IOException(String.join(" ", cmd) + " exited " + rc);
      best = Math.min(best, (System.nanoTime() - t0) / 1e6);
    }
    return best;
  }

  static String soxVersion() {
    try {
      Process p = new ProcessBuilder("sox", "--version").redirectErrorStream(true).start();
      String v = new String(p.getInputStream().readAllBytes()).trim();
      p.waitFor();
      return v.replace("sox:", "").trim();
    } catch (IOException | InterruptedException e) {
      return "(not found: " + e.getMessage() + ")";
    }
  }

  /** Voiced-speech-like test audio: harmonics with syllabic envelope and a little noise. */
  static short[] speechLike(int samples) {
    Random r = new Random(5);
    short[] s = new short[samples];
    for (int i = 0; i < samples; i++) {
      double t = i / 8000.0;
      double env = 0.5 + 0.5 * Math.sin(2 * Math.PI * 3.7 * t);
      double v = Math.sin(2 * Math.PI * 130 * t) + 0.5 * Math.sin(2 * Math.PI * 260 * t) + 0.3 * Math.sin(2 * Math.PI * 1170 * t);
      s[i] = (short) (env * 6000 * v + r.nextGaussian() * 200);
    }
    return s;
  }

  static void write(Path file, short[] samples) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(samples.length * 2).order(ByteOrder.LITTLE_ENDIAN);
    for (short v : samples) b.putShort(v);
    Files.write(file, b.array());
  }
}
