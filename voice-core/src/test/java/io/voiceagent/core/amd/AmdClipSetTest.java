package io.voiceagent.core.amd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voiceagent.core.testing.AmdClips;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The detector over the whole labelled set (scripts/make-amd-clips.sh): the aims as assertions.
 * Reads the committed clips only.
 */
class AmdClipSetTest {
  private static List<AmdClips.Clip> clips;
  private static List<AmdClips.Outcome> outcomes;
  private static AmdClips.Summary summary;

  @BeforeAll static void runSet() {
    clips = AmdClips.load();
    outcomes = AmdClips.runAll(new EnergyAnsweringMachineDetector(AmdConfig.DEFAULT), clips);
    summary = AmdClips.summarize(outcomes);
    outcomes.forEach(System.out::println);
    System.out.println(summary);
  }

  @Test void givenTheLabelledSet_whenLoaded_thenAtLeastFortyClipsOfBothLabelsAndLanguages() {
    assertTrue(clips.size() >= 40, clips.size() + " clips, expected ≥ 40");
    assertTrue(clips.stream().filter(AmdClips.Clip::machine).count() >= 15, "machines");
    assertTrue(clips.stream().filter(c -> !c.machine()).count() >= 15, "humans");
    assertTrue(clips.stream().anyMatch(c -> c.lang().equals("ru")), "Russian");
    assertTrue(clips.stream().anyMatch(c -> c.lang().equals("en")), "English");
  }

  @Test void givenEveryClip_whenDetected_thenExactlyOneVerdictWithinTheHardCap() {
    for (AmdClips.Outcome o : outcomes) {
      assertNotNull(o.verdict(), o.clip().file() + ": no verdict");
      assertEquals(1, o.verdicts(), o.clip().file() + ": verdicts");
      assertTrue(o.verdict().millis() <= AmdConfig.DEFAULT.totalMillis(), o.toString());
    }
  }

  @Test void givenTheSet_whenDetected_thenAtLeast95PercentCorrect() {
    assertTrue(summary.accuracy() >= 0.95, summary.toString());
  }

  @Test void givenTheHumans_whenDetected_thenAtMost2PercentTakenForMachines() {
    assertTrue(summary.humansTakenForMachinesShare() <= 0.02, summary.toString());
  }

  @Test void givenTheHumans_whenDetected_thenVerdictP95WithinOneSecondOfTheGreetingsEnd() {
    assertTrue(summary.humanLatencyP95() <= 1000, summary.toString());
  }

  @Test void givenMachinesWithConnect_whenGreetingEnds_thenNeverSignalledBeforeItReallyEnded() {
    assertEquals(0, summary.greetingEndsEarly(), summary.toString());
  }

  @Test void givenMachinesWithBeep_whenGreetingEnds_thenTheBeepsEndIsHeardWithin100ms() {
    int beeps = 0;
    for (AmdClips.Outcome o : outcomes) {
      if (!o.clip().machine() || !o.clip().description().contains("beep") || !o.correct()) continue;
      beeps++;
      assertEquals("beep", o.greetingEnd(), o.toString());
      long late = o.greetingEndMillis() - o.clip().greetingEndMillis();
      assertTrue(late >= 0 && late <= 100, o.toString());
    }
    assertTrue(beeps >= 10, beeps + " machines with a beep");
  }

  @Test void givenMachinesWithoutBeep_whenGreetingEnds_thenAfterAboutASecondOfSilence() {
    for (AmdClips.Outcome o : outcomes) {
      if (!o.clip().machine() || o.clip().description().contains("beep") || !o.correct()) continue;
      assertEquals("silence", o.greetingEnd(), o.toString());
      long late = o.greetingEndMillis() - o.clip().greetingEndMillis();
      assertTrue(late >= 0 && late <= 1500, o.toString());
    }
  }
}
