package io.voiceagent.core.testing;

import io.voiceagent.core.amd.AnsweringMachineDetector;
import io.voiceagent.core.audio.G711;
import io.voiceagent.core.call.AmdResult;
import io.voiceagent.core.call.AmdVerdict;
import io.voiceagent.core.call.CallId;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The labelled answering-machine test set ({@code src/test/resources/amd}, made by
 * {@code scripts/make-amd-clips.sh}) and a runner that plays each clip through a detector in 20 ms frames on
 * a virtual clock, as the pacer would. Shared by the tests and the voice-bench report.
 */
public final class AmdClips {
  /** Frame length the pacer hands the detector. */
  public static final int FRAME = 160;
  private static final long FRAME_NANOS = 20_000_000L;
  /** How long after the clip's end the line stays silent, so every detection can finish. */
  private static final long LISTEN_AFTER_END_MILLIS = 60_000;

  private AmdClips() {}

  /** One clip: its 8 kHz samples and the manifest's truth. */
  public record Clip(String file, boolean machine, int greetingEndMillis, String lang, String description, short[] pcm) {
    public Clip {
      Objects.requireNonNull(file, "file");
      Objects.requireNonNull(pcm, "pcm");
    }

    public int lengthMillis() {
      return pcm.length / 8;
    }

    public String label() {
      return machine ? "machine" : "human";
    }
  }

  /**
   * What the detector made of one clip.
   *
   * @param verdict          null if it never decided (a defect: the cap must always fire)
   * @param greetingEnd      after a machine verdict, the greeting-end cause ({@code beep}, {@code silence}, …), or null
   * @param greetingEndMillis when that came, ms after the answer, or -1
   * @param verdicts         how many verdicts were delivered (must be 1)
   */
  public record Outcome(Clip clip, AmdVerdict verdict, String greetingEnd, long greetingEndMillis, int verdicts) {
    public boolean correct() {
      return verdict != null && verdict.result() == (clip.machine() ? AmdResult.MACHINE : AmdResult.HUMAN);
    }

    public boolean humanTakenForMachine() {
      return !clip.machine() && verdict != null && verdict.result() == AmdResult.MACHINE;
    }

    /** For a human called human: ms from the end of the person's greeting to the verdict (negative: before it). */
    public long humanLatencyMillis() {
      return verdict.millis() - clip.greetingEndMillis();
    }

    @Override public String toString() {
      return String.format(Locale.ROOT, "%-24s %-7s end %5d ms -> %-8s %-22s %5s ms%s", clip.file(), clip.label(),
          clip.greetingEndMillis(), verdict == null ? "none" : verdict.result().wireName(),
          verdict == null ? "" : verdict.cause(), verdict == null ? "" : Long.toString(verdict.millis()),
          greetingEnd == null ? "" : "  greeting end: " + greetingEnd + " at " + greetingEndMillis + " ms");
    }
  }

  /** Figures over a set of outcomes. */
  public record Summary(int clips, int humans, int machines, int correct, int notSure, int humansTakenForMachines,
      int machinesTakenForHumans, long humanLatencyP50, long humanLatencyP95, long humanLatencyMax,
      long machineVerdictP50, long machineVerdictP95, long verdictMax, int greetingEndsEarly,
      long greetingEndDelayP50, long greetingEndDelayP95) {

    public double accuracy() {
      return clips == 0 ? 0 : (double) correct / clips;
    }

    public double humansTakenForMachinesShare() {
      return humans == 0 ? 0 : (double) humansTakenForMachines / humans;
    }

    @Override public String toString() {
      return String.format(Locale.ROOT,
          "%d clips (%d human, %d machine): accuracy %.1f %% (%d correct, %d notsure), humans taken for machines"
              + " %d (%.1f %%), machines taken for humans %d; human verdict after the greeting ends p50 %d ms,"
              + " p95 %d ms, max %d ms; machine verdict after the answer p50 %d ms, p95 %d ms; latest verdict %d ms;"
              + " greeting end signalled before it really ended: %d, after it p50 %d ms, p95 %d ms",
          clips, humans, machines, 100 * accuracy(), correct, notSure, humansTakenForMachines,
          100 * humansTakenForMachinesShare(), machinesTakenForHumans, humanLatencyP50, humanLatencyP95,
          humanLatencyMax, machineVerdictP50, machineVerdictP95, verdictMax, greetingEndsEarly, greetingEndDelayP50,
          greetingEndDelayP95);
    }
  }

  /** Loads every clip of the manifest from the class path. */
  public static List<Clip> load() {
    String manifest = new String(read("manifest.tsv"), StandardCharsets.UTF_8);
    List<Clip> clips = new ArrayList<>();
    String[] lines = manifest.split("\n");
    for (int i = 1; i < lines.length; i++) {
      if (lines[i].isBlank()) continue;
      String[] f = lines[i].split("\t", -1);
      if (f.length != 5) throw new IllegalStateException("manifest line " + (i + 1) + " has " + f.length + " fields, expected 5");
      if (!f[1].equals("human") && !f[1].equals("machine")) {
        throw new IllegalStateException("manifest line " + (i + 1) + ": label '" + f[1] + "', expected human or machine");
      }
      byte[] ulaw = read(f[0]);
      short[] pcm = new short[ulaw.length];
      G711.decode(G711.Law.ULAW, ulaw, 0, pcm, 0, ulaw.length);
      clips.add(new Clip(f[0], f[1].equals("machine"), Integer.parseInt(f[2]), f[3], f[4], pcm));
    }
    return clips;
  }

  private static byte[] read(String name) {
    try (InputStream in = AmdClips.class.getResourceAsStream("/amd/" + name)) {
      if (in == null) throw new IllegalStateException("amd/" + name + " is not on the class path");
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Plays {@code clip} through a new detection, 20 ms frames (one reused array) on a virtual clock whose frame
   * {@code k} arrives at {@code start + (k+1)·20 ms}; after the clip the line is silent. On a machine verdict it
   * asks for the greeting's end straight away.
   */
  public static Outcome run(AnsweringMachineDetector detector, Clip clip) {
    final long start = 7_000_000_000L;
    AmdVerdict[] got = new AmdVerdict[1];
    int[] verdicts = new int[1];
    String[] ended = new String[1];
    long[] endedAt = {-1};
    long[] now = new long[1];
    AnsweringMachineDetector.Detection[] d = new AnsweringMachineDetector.Detection[1];
    d[0] = detector.start(CallId.of("amd-" + clip.file()), start, v -> {
      verdicts[0]++;
      got[0] = v;
      if (v.result() == AmdResult.MACHINE) {
        d[0].awaitGreetingEnd(cause -> {
          ended[0] = cause;
          endedAt[0] = (now[0] - start) / 1_000_000;
        });
      }
    });
    short[] frame = new short[FRAME];
    long frames = (clip.pcm().length + LISTEN_AFTER_END_MILLIS * 8) / FRAME;
    for (long k = 0; k < frames; k++) {
      int from = (int) Math.min(k * FRAME, clip.pcm().length);
      int n = Math.min(FRAME, clip.pcm().length - from);
      System.arraycopy(clip.pcm(), from, frame, 0, n);
      Arrays.fill(frame, n, FRAME, (short) 0);
      now[0] = start + (k + 1) * FRAME_NANOS;
      d[0].observe(frame, now[0]);
      boolean finished = got[0] != null && (got[0].result() != AmdResult.MACHINE || ended[0] != null);
      if (finished && from >= clip.pcm().length) break;
    }
    d[0].cancel();
    return new Outcome(clip, got[0], ended[0], endedAt[0], verdicts[0]);
  }

  public static List<Outcome> runAll(AnsweringMachineDetector detector, List<Clip> clips) {
    List<Outcome> out = new ArrayList<>();
    for (Clip c : clips) out.add(run(detector, c));
    return out;
  }

  public static Summary summarize(List<Outcome> outcomes) {
    int humans = 0;
    int correct = 0;
    int notSure = 0;
    int hm = 0;
    int mh = 0;
    int early = 0;
    long verdictMax = 0;
    List<Long> humanLatency = new ArrayList<>();
    List<Long> machineVerdict = new ArrayList<>();
    List<Long> greetingDelay = new ArrayList<>();
    for (Outcome o : outcomes) {
      if (!o.clip().machine()) humans++;
      if (o.correct()) correct++;
      if (o.verdict() == null) continue;
      verdictMax = Math.max(verdictMax, o.verdict().millis());
      if (o.verdict().result() == AmdResult.NOTSURE) notSure++;
      if (o.humanTakenForMachine()) hm++;
      if (o.clip().machine() && o.verdict().result() == AmdResult.HUMAN) mh++;
      if (!o.clip().machine() && o.verdict().result() == AmdResult.HUMAN) humanLatency.add(o.humanLatencyMillis());
      if (o.clip().machine() && o.verdict().result() == AmdResult.MACHINE) {
        machineVerdict.add(o.verdict().millis());
        if (o.greetingEndMillis() >= 0) {
          long delay = o.greetingEndMillis() - o.clip().greetingEndMillis();
          if (delay < 0) early++;
          greetingDelay.add(delay);
        }
      }
    }
    return new Summary(outcomes.size(), humans, outcomes.size() - humans, correct, notSure, hm, mh,
        percentile(humanLatency, 50), percentile(humanLatency, 95), percentile(humanLatency, 100),
        percentile(machineVerdict, 50), percentile(machineVerdict, 95), verdictMax, early,
        percentile(greetingDelay, 50), percentile(greetingDelay, 95));
  }

  /** Nearest-rank percentile; 0 for no values. */
  public static long percentile(List<Long> values, int p) {
    if (values.isEmpty()) return 0;
    List<Long> sorted = new ArrayList<>(values);
    sorted.sort(null);
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(0, rank - 1));
  }
}
