package io.voiceagent.core.amd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voiceagent.core.config.ConfigException;
import io.voiceagent.core.config.Settings;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AmdConfigTest {
  @Test void givenDefaults_whenRead_thenAsteriskFigures() {
    AmdConfig d = AmdConfig.DEFAULT;
    assertEquals(2500, d.initialSilenceMillis());
    assertEquals(1500, d.greetingMillis());
    assertEquals(800, d.afterGreetingSilenceMillis());
    assertEquals(5000, d.totalMillis());
    assertEquals(100, d.minWordMillis());
    assertEquals(50, d.betweenWordsSilenceMillis());
    assertEquals(3, d.maxWords());
    assertEquals(5000, d.maxWordMillis());
    assertEquals(256, d.silenceThreshold());
    assertEquals(2, d.noiseFactor());
    assertEquals(1000, d.greetingEndSilenceMillis());
    assertEquals(20_000, d.greetingEndMaxMillis());
    assertEquals(d, AmdConfig.from(Settings.empty()));
  }

  @Test void givenEverySetting_whenRead_thenEachLandsInItsParameter() {
    AmdConfig c = AmdConfig.from(Settings.of(Map.ofEntries(
        Map.entry("AMD_INITIAL_SILENCE_MS", "3000"),
        Map.entry("AMD_GREETING_MS", "1200"),
        Map.entry("AMD_AFTER_GREETING_SILENCE_MS", "600"),
        Map.entry("AMD_TOTAL_MS", "4000"),
        Map.entry("AMD_MIN_WORD_MS", "120"),
        Map.entry("AMD_BETWEEN_WORDS_SILENCE_MS", "60"),
        Map.entry("AMD_MAX_WORDS", "4"),
        Map.entry("AMD_MAX_WORD_MS", "3500"),
        Map.entry("AMD_SILENCE_THRESHOLD", "300"),
        Map.entry("AMD_NOISE_FACTOR", "0"),
        Map.entry("AMD_GREETING_END_SILENCE_MS", "1500"),
        Map.entry("AMD_GREETING_END_MAX_MS", "30000"))));
    assertEquals(new AmdConfig(3000, 1200, 600, 4000, 120, 60, 4, 3500, 300, 0, 1500, 30_000), c);
  }

  @ParameterizedTest
  @ValueSource(strings = {"AMD_INITIAL_SILENCE_MS", "AMD_GREETING_MS", "AMD_AFTER_GREETING_SILENCE_MS", "AMD_TOTAL_MS",
      "AMD_MIN_WORD_MS", "AMD_BETWEEN_WORDS_SILENCE_MS", "AMD_MAX_WORDS", "AMD_MAX_WORD_MS", "AMD_SILENCE_THRESHOLD",
      "AMD_NOISE_FACTOR", "AMD_GREETING_END_SILENCE_MS", "AMD_GREETING_END_MAX_MS"})
  void givenMalformedOrOutOfRange_whenRead_thenConfigExceptionNamingTheVariable(String name) {
    for (String bad : new String[] {"1.5s", "-1", "99999999999"}) {
      ConfigException e = assertThrows(ConfigException.class, () -> AmdConfig.from(Settings.of(Map.of(name, bad))));
      assertEquals(name, e.variable());
      assertTrue(e.getMessage().contains(name), e.getMessage());
    }
  }

  @Test void givenOutOfRangeParameter_whenBuilt_thenMessageNamesItAndTheRange() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new AmdConfig(2500, 1500, 800, 5000, 100, 50, 0, 5000, 256, 2, 1000, 20_000));
    assertEquals("maxWords is 0, expected 1..100", e.getMessage());
  }

  // ------------------------------------------------------------ AMD_MODE and the policy

  @Test void givenNoSettings_whenDetectionAssembled_thenDetectOnWithHangupForMachinesAndConnectWhenNotSure() {
    AnsweringMachineDetection amd = AnsweringMachineDetection.fromSettings(Settings.empty());
    assertTrue(amd.enabled());
    EnergyAnsweringMachineDetector d = assertInstanceOf(EnergyAnsweringMachineDetector.class, amd.detector());
    assertEquals(AmdConfig.DEFAULT, d.config());
    assertEquals(AmdPolicy.DEFAULT, amd.policy());
  }

  @Test void givenModeOff_whenAssembled_thenDetectorOff() {
    AnsweringMachineDetection amd = AnsweringMachineDetection.fromSettings(Settings.of(Map.of("AMD_MODE", "OFF")));
    assertFalse(amd.enabled());
    assertSame(AnsweringMachineDetector.OFF, amd.detector());
  }

  @Test void givenVoicemailPolicy_whenAssembled_thenConnectWithTheFirstMessage() {
    AnsweringMachineDetection amd = AnsweringMachineDetection.fromSettings(Settings.of(Map.of(
        "AMD_MACHINE_ACTION", "connect", "AMD_NOTSURE_ACTION", "hangup",
        "AMD_MACHINE_FIRST_MESSAGE", "Здравствуйте! Перезвоните нам, пожалуйста.", "AMD_GREETING_MS", "2000")));
    assertEquals(new AmdPolicy(AmdPolicy.Action.CONNECT, AmdPolicy.Action.HANGUP,
        "Здравствуйте! Перезвоните нам, пожалуйста."), amd.policy());
    assertEquals(2000, ((EnergyAnsweringMachineDetector) amd.detector()).config().greetingMillis());
  }

  @Test void givenNoFirstMessage_whenAssembled_thenNull() {
    assertNull(AnsweringMachineDetection.fromSettings(Settings.of(Map.of("AMD_MACHINE_ACTION", "connect")))
        .policy().machineFirstMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"AMD_MODE", "AMD_MACHINE_ACTION", "AMD_NOTSURE_ACTION"})
  void givenUnknownChoice_whenAssembled_thenConfigExceptionNamingTheVariable(String name) {
    ConfigException e = assertThrows(ConfigException.class,
        () -> AnsweringMachineDetection.fromSettings(Settings.of(Map.of(name, "maybe"))));
    assertEquals(name, e.variable());
    assertTrue(e.getMessage().contains("'maybe'"), e.getMessage());
  }

  @Test void givenModeOffAndMalformedParameter_whenAssembled_thenStillRejected() {
    ConfigException e = assertThrows(ConfigException.class, () -> AnsweringMachineDetection.fromSettings(
        Settings.of(Map.of("AMD_MODE", "off", "AMD_TOTAL_MS", "five seconds"))));
    assertEquals("AMD_TOTAL_MS", e.variable());
  }
}
