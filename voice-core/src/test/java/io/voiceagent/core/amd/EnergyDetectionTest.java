package io.voiceagent.core.amd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voiceagent.core.call.AmdResult;
import io.voiceagent.core.call.AmdVerdict;
import io.voiceagent.core.call.CallId;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The state machine rule by rule, on synthetic frames and a virtual clock. */
class EnergyDetectionTest {
  private static final long START = 5_000_000_000L;
  private final Signals signals = new Signals();
  private final List<AmdVerdict> verdicts = new ArrayList<>();
  private final List<String> greetingEnds = new ArrayList<>();
  private final List<Long> greetingEndMillis = new ArrayList<>();
  private AnsweringMachineDetector.Detection detection;
  private long frames;

  private void start(AmdConfig config) {
    detection = new EnergyAnsweringMachineDetector(config).start(CallId.of("amd-test"), START, verdicts::add);
  }

  private long nowMillis() {
    return frames * 20;
  }

  /** Feeds {@code ms} of frames from {@code source}, reusing one array as the pacer does. */
  private void feed(int ms, Supplier<short[]> source) {
    short[] frame = new short[160];
    for (int i = 0; i < ms / 20; i++) {
      System.arraycopy(source.get(), 0, frame, 0, 160);
      frames++;
      detection.observe(frame, START + frames * 20_000_000L);
    }
  }

  private void speech(int ms) {
    feed(ms, () -> signals.speech(3000));
  }

  private void silence(int ms) {
    feed(ms, signals::silence);
  }

  private void awaitGreetingEnd() {
    detection.awaitGreetingEnd(cause -> {
      greetingEnds.add(cause);
      greetingEndMillis.add(nowMillis());
    });
  }

  private AmdVerdict only() {
    assertEquals(1, verdicts.size(), "verdicts: " + verdicts);
    return verdicts.get(0);
  }

  @Test void givenSilenceOnly_whenInitialSilencePasses_thenMachineAt2500ms() {
    start(AmdConfig.DEFAULT);
    silence(2480);
    assertTrue(verdicts.isEmpty());
    silence(20);
    assertEquals(new AmdVerdict(AmdResult.MACHINE, "initial_silence", 2500), only());
  }

  @Test void givenShortHello_whenSilenceFollows_thenHuman800msAfterIt() {
    start(AmdConfig.DEFAULT);
    silence(300);
    speech(500);
    silence(780);
    assertTrue(verdicts.isEmpty(), "not before 800 ms of silence");
    silence(20);
    assertEquals(new AmdVerdict(AmdResult.HUMAN, "after_greeting_silence", 1600), only());
  }

  @Test void givenTwoShortPhrases_whenPauseShorterThanAfterGreetingSilence_thenHumanAfterTheSecond() {
    start(AmdConfig.DEFAULT);
    silence(200);
    speech(400);
    silence(600);
    speech(400);
    silence(1000);
    assertEquals(new AmdVerdict(AmdResult.HUMAN, "after_greeting_silence", 2400), only());
  }

  @Test void givenLongWords_whenSpeechReachesTheGreetingLength_thenMachineLongGreeting() {
    start(AmdConfig.DEFAULT);
    silence(100);
    speech(600);
    silence(100);
    speech(600);
    silence(100);
    speech(600);
    // 1500 ms of speech: 3 × 600 less 300 not yet spoken, less the 2 × 40 ms at the start of each gap
    // that app_amd counts as the word going on (a gap is a pause only from between-words silence on)
    assertEquals(new AmdVerdict(AmdResult.MACHINE, "long_greeting", 1720), only());
  }

  @Test void givenManyShortWords_whenTheFourthWordStarts_thenMachineMaxWords() {
    start(AmdConfig.DEFAULT);
    for (int w = 0; w < 4; w++) {
      silence(200);
      speech(200);
    }
    // the 4th word counts once it has lasted the minimum word length: 3 × 400 + 200 + 100
    assertEquals(new AmdVerdict(AmdResult.MACHINE, "max_words", 1500), only());
  }

  @Test void givenGapsShorterThanBetweenWordsSilence_whenSpeaking_thenOneWord() {
    start(new AmdConfig(2500, 10_000, 800, 20_000, 100, 50, 1, 20_000, 256, 2, 1000, 20_000));
    silence(100);
    for (int i = 0; i < 10; i++) {
      speech(200);
      silence(40); // a stop consonant, not a pause
    }
    silence(800);
    assertEquals(AmdResult.HUMAN, only().result(), "ten bursts bridged into one word: max 1 word not exceeded");
  }

  @Test void givenOneEndlessWord_whenMaxWordLengthBeforeTheGreetingLimit_thenMachineMaxWordLength() {
    start(new AmdConfig(2500, 4000, 800, 5000, 100, 50, 3, 2000, 256, 2, 1000, 20_000));
    silence(200);
    speech(3000);
    assertEquals(new AmdVerdict(AmdResult.MACHINE, "max_word_length", 2200), only());
  }

  @Test void givenBurstsThatFireNoRule_whenTotalTimePasses_thenNotSureAtTheHardCap() {
    start(AmdConfig.DEFAULT);
    for (int i = 0; i < 20; i++) {
      speech(80);
      silence(520);
    }
    assertEquals(new AmdVerdict(AmdResult.NOTSURE, "too_long", 5000), only());
  }

  @Test void givenShortGreetingThenBeep_whenToneLasts100ms_thenMachineBeep() {
    start(AmdConfig.DEFAULT);
    silence(200);
    speech(600);
    silence(200);
    feed(80, () -> signals.tone(1000, 8000));
    assertTrue(verdicts.isEmpty(), "80 ms of tone is not yet a beep");
    feed(20, () -> signals.tone(1000, 8000));
    assertEquals(new AmdVerdict(AmdResult.MACHINE, "beep", 1100), only());
  }

  @Test void givenToneBeforeAnySpeech_whenPlaying_thenNotABeepVerdict() {
    // a ringback or announcement tone right after the answer is not evidence of a voicemail
    start(AmdConfig.DEFAULT);
    silence(200);
    feed(400, () -> signals.tone(425, 6000));
    silence(1000);
    assertEquals(AmdResult.HUMAN, only().result());
  }

  @Test void givenVerdict_whenAudioGoesOn_thenNoSecondVerdict() {
    start(AmdConfig.DEFAULT);
    silence(200);
    speech(400);
    silence(1000);
    speech(3000);
    silence(6000);
    feed(1000, () -> signals.tone(1000, 8000));
    assertEquals(AmdResult.HUMAN, only().result());
  }

  @Test void givenCanceled_whenFramesArrive_thenNoVerdictEver() {
    start(AmdConfig.DEFAULT);
    silence(1000);
    detection.cancel();
    silence(6000);
    speech(3000);
    assertTrue(verdicts.isEmpty());
  }

  @Test void givenLateAnswerClock_whenDeciding_thenMillisCountFromTheAnswer() {
    long answeredAt = 123_456_789_000L;
    detection = new EnergyAnsweringMachineDetector(AmdConfig.DEFAULT).start(CallId.of("x"), answeredAt, verdicts::add);
    short[] quiet = new short[160];
    for (int k = 1; k <= 125; k++) detection.observe(quiet, answeredAt + k * 20_000_000L);
    assertEquals(2500, only().millis());
  }

  @Test void givenNoisyLine_whenPersonSaysHello_thenHuman() {
    start(AmdConfig.DEFAULT);
    feed(600, () -> signals.noise(700));
    feed(500, () -> signals.speech(5000));
    feed(1200, () -> signals.noise(700));
    assertEquals(AmdResult.HUMAN, only().result(), "noise at 700 average magnitude is a line, not a greeting");
  }

  @Test void givenNoisyLineAndNoAdaptation_whenPersonSaysHello_thenTakenForAMachineAsAsteriskWould() {
    start(new AmdConfig(2500, 1500, 800, 5000, 100, 50, 3, 5000, 256, 0, 1000, 20_000));
    feed(600, () -> signals.noise(700));
    feed(500, () -> signals.speech(5000));
    feed(1200, () -> signals.noise(700));
    assertEquals(AmdResult.MACHINE, only().result());
  }

  // ------------------------------------------------------------ the greeting's end, after a machine verdict

  @Test void givenMachine_whenGreetingEndsWithBeep_thenEndedWhenTheBeepStops() {
    start(AmdConfig.DEFAULT);
    silence(200);
    speech(1600);
    assertEquals("long_greeting", only().cause());
    awaitGreetingEnd();
    speech(2000);
    silence(300);
    feed(500, () -> signals.tone(850, 8000));
    assertTrue(greetingEnds.isEmpty(), "not during the beep");
    silence(100);
    assertEquals(List.of("beep"), greetingEnds);
    assertEquals(List.of(200 + 1600 + 2000 + 300 + 500 + 20L), greetingEndMillis);
  }

  @Test void givenMachine_whenGreetingEndsWithoutBeep_thenEndedAfterASecondOfSilence() {
    start(AmdConfig.DEFAULT);
    silence(200);
    speech(1600);
    awaitGreetingEnd();
    speech(700);
    silence(700); // a pause inside the greeting
    speech(900);
    silence(980);
    assertTrue(greetingEnds.isEmpty());
    silence(20);
    assertEquals(List.of("silence"), greetingEnds);
    silence(3000);
    assertEquals(1, greetingEnds.size(), "once");
  }

  @Test void givenMachineByInitialSilence_whenGreetingStartsLate_thenWaitsForItsSpeechAndEnd() {
    start(AmdConfig.DEFAULT);
    silence(2500);
    assertEquals("initial_silence", only().cause());
    awaitGreetingEnd();
    silence(1500);
    feed(40, () -> signals.noise(3000)); // a click
    silence(1500);
    assertTrue(greetingEnds.isEmpty(), "silence before the greeting is not its end");
    speech(2000);
    silence(1000);
    assertEquals(List.of("silence"), greetingEnds);
  }

  @Test void givenMachine_whenGreetingNeverEnds_thenCappedAfterTheVerdict() {
    start(new AmdConfig(2500, 1500, 800, 5000, 100, 50, 3, 60_000, 256, 2, 1000, 3000));
    silence(200);
    speech(1600);
    awaitGreetingEnd();
    long verdictAt = only().millis();
    speech((int) (verdictAt + 3000 - 20 - nowMillis()));
    assertTrue(greetingEnds.isEmpty());
    speech(20);
    assertEquals(List.of("max_wait"), greetingEnds);
    assertEquals(List.of(verdictAt + 3000), greetingEndMillis);
  }

  @Test void givenMachine_whenAskedFromAnotherThread_thenAnsweredOnTheFeedingThread() throws Exception {
    start(AmdConfig.DEFAULT);
    silence(200);
    speech(1600);
    Thread feeder = Thread.currentThread();
    List<Thread> calledOn = new ArrayList<>();
    Thread other = new Thread(() -> detection.awaitGreetingEnd(cause -> calledOn.add(Thread.currentThread())));
    other.start();
    other.join(10_000);
    speech(200);
    silence(1000);
    assertEquals(List.of(feeder), calledOn);
  }

  @Test void givenHumanVerdict_whenGreetingEndAsked_thenNeverCalled() {
    start(AmdConfig.DEFAULT);
    silence(200);
    speech(400);
    silence(800);
    awaitGreetingEnd();
    speech(400);
    silence(2000);
    assertTrue(greetingEnds.isEmpty());
  }

  @Test void givenCanceledWhileWaitingForTheGreeting_whenItEnds_thenNotCalled() {
    start(AmdConfig.DEFAULT);
    silence(200);
    speech(1600);
    awaitGreetingEnd();
    detection.cancel();
    silence(2000);
    assertTrue(greetingEnds.isEmpty());
  }

  // ------------------------------------------------------------ real-time discipline

  @Test void givenSteadyState_whenThousandsOfFramesObserved_thenNothingAllocated() {
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    AmdConfig lenient = new AmdConfig(60_000, 60_000, 60_000, 60_000, 100, 50, 100, 60_000, 256, 2, 1000, 60_000);
    short[][] mix = new short[64][];
    for (int i = 0; i < mix.length; i++) {
      // one word and a short tone per 1.28 s: no rule of the lenient config fires within the 100 s fed
      mix[i] = i < 10 ? signals.speech(3000) : i < 14 ? signals.tone(1000, 8000) : signals.noise(100);
    }
    AnsweringMachineDetector.Detection analysing =
        new EnergyAnsweringMachineDetector(lenient).start(CallId.of("a"), 0, verdicts::add);
    AnsweringMachineDetector.Detection greeting =
        new EnergyAnsweringMachineDetector(AmdConfig.DEFAULT).start(CallId.of("g"), 0, verdicts::add);
    long t = 0;
    for (int i = 0; i < 10; i++) greeting.observe(signals.silence(), t += 20_000_000L);
    for (int i = 0; i < 90; i++) greeting.observe(signals.speech(3000), t += 20_000_000L); // → machine, then greeting phase
    assertEquals(AmdResult.MACHINE, only().result());
    for (int round = 0; round < 2; round++) {
      long before = threads.getCurrentThreadAllocatedBytes();
      for (int i = 0; i < 1300; i++) { // two rounds stay inside the lenient 60 s total
        t += 20_000_000L;
        analysing.observe(mix[i % mix.length], t);
        greeting.observe(mix[i % mix.length], t);
      }
      long allocated = threads.getCurrentThreadAllocatedBytes() - before;
      if (round == 1) assertTrue(allocated < 1024, allocated + " bytes for 2600 frames, expected none per frame");
    }
    assertEquals(1, verdicts.size(), "no rule fired in the lenient detection: " + verdicts);
  }

  @Test void givenDetector_whenStarted_thenEachCallGetsItsOwnDetection() {
    EnergyAnsweringMachineDetector d = new EnergyAnsweringMachineDetector(AmdConfig.DEFAULT);
    List<AmdVerdict> a = new ArrayList<>();
    List<AmdVerdict> b = new ArrayList<>();
    AnsweringMachineDetector.Detection da = d.start(CallId.of("a"), 0, a::add);
    AnsweringMachineDetector.Detection db = d.start(CallId.of("b"), 0, b::add);
    short[] quiet = new short[160];
    for (int k = 1; k <= 125; k++) da.observe(quiet, k * 20_000_000L);
    assertEquals(1, a.size());
    assertTrue(b.isEmpty());
    assertNotNull(db);
    assertNull(AnsweringMachineDetector.OFF.start(CallId.of("c"), 0, v -> { }));
  }
}
