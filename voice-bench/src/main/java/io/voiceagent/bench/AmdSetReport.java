package io.voiceagent.bench;

import io.voiceagent.core.amd.AmdConfig;
import io.voiceagent.core.amd.EnergyAnsweringMachineDetector;
import io.voiceagent.core.testing.AmdClips;
import java.util.List;
import java.util.Locale;

/**
 * Runs the answering-machine detector over the labelled set and prints each clip's verdict and the figures
 * for docs/benchmarks.md. With {@code --sweep}: the same figures for other thresholds, noise factors,
 * after-greeting silences and greeting lengths, for tuning.
 *
 * <pre>java -cp voice-bench/target/benchmarks.jar io.voiceagent.bench.AmdSetReport [--sweep]</pre>
 */
public final class AmdSetReport {
  private AmdSetReport() {}

  public static void main(String[] args) {
    List<AmdClips.Clip> clips = AmdClips.load();
    List<AmdClips.Outcome> outcomes = AmdClips.runAll(new EnergyAnsweringMachineDetector(AmdConfig.DEFAULT), clips);
    outcomes.forEach(System.out::println);
    System.out.println();
    System.out.println("defaults: " + AmdConfig.DEFAULT);
    System.out.println(AmdClips.summarize(outcomes));
    if (args.length > 0 && args[0].equals("--sweep")) sweep(clips);
  }

  private static void sweep(List<AmdClips.Clip> clips) {
    System.out.println();
    System.out.println("| threshold | noise factor | after-greeting silence ms | greeting ms | accuracy | humans → machine"
        + " | machines → human | notsure | human verdict p50 / p95 after greeting end |");
    System.out.println("|---|---|---|---|---|---|---|---|---|");
    AmdConfig d = AmdConfig.DEFAULT;
    for (int threshold : new int[] {128, 256, 384}) {
      for (int factor : new int[] {0, 2, 3}) {
        row(clips, new AmdConfig(d.initialSilenceMillis(), d.greetingMillis(), d.afterGreetingSilenceMillis(),
            d.totalMillis(), d.minWordMillis(), d.betweenWordsSilenceMillis(), d.maxWords(), d.maxWordMillis(),
            threshold, factor, d.greetingEndSilenceMillis(), d.greetingEndMaxMillis()));
      }
    }
    for (int after : new int[] {400, 600, 1000}) {
      row(clips, new AmdConfig(d.initialSilenceMillis(), d.greetingMillis(), after, d.totalMillis(),
          d.minWordMillis(), d.betweenWordsSilenceMillis(), d.maxWords(), d.maxWordMillis(), d.silenceThreshold(),
          d.noiseFactor(), d.greetingEndSilenceMillis(), d.greetingEndMaxMillis()));
    }
    for (int greeting : new int[] {1200, 2000}) {
      row(clips, new AmdConfig(d.initialSilenceMillis(), greeting, d.afterGreetingSilenceMillis(), d.totalMillis(),
          d.minWordMillis(), d.betweenWordsSilenceMillis(), d.maxWords(), d.maxWordMillis(), d.silenceThreshold(),
          d.noiseFactor(), d.greetingEndSilenceMillis(), d.greetingEndMaxMillis()));
    }
  }

  private static void row(List<AmdClips.Clip> clips, AmdConfig c) {
    AmdClips.Summary s = AmdClips.summarize(AmdClips.runAll(new EnergyAnsweringMachineDetector(c), clips));
    System.out.printf(Locale.ROOT, "| %d | %d | %d | %d | %.1f %% | %d / %d | %d / %d | %d | %d / %d ms |%n",
        c.silenceThreshold(), c.noiseFactor(), c.afterGreetingSilenceMillis(), c.greetingMillis(), 100 * s.accuracy(),
        s.humansTakenForMachines(), s.humans(), s.machinesTakenForHumans(), s.machines(), s.notSure(),
        s.humanLatencyP50(), s.humanLatencyP95());
  }
}
