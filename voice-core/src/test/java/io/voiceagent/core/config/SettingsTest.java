package io.voiceagent.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsTest {
  @Test void givenMalformedNumber_whenRead_thenErrorNamesVariable() {
    Settings s = Settings.of(Map.of("RTP_PORT_MIN", "ten"));
    ConfigException e = assertThrows(ConfigException.class, () -> s.integer("RTP_PORT_MIN", 10000, 1024, 65535));
    assertEquals("RTP_PORT_MIN", e.variable());
    assertTrue(e.getMessage().contains("RTP_PORT_MIN"));
  }

  @Test void givenOutOfRange_whenRead_thenErrorSaysRange() {
    Settings s = Settings.of(Map.of("MAX_CONCURRENT_CALLS", "0"));
    ConfigException e = assertThrows(ConfigException.class, () -> s.integer("MAX_CONCURRENT_CALLS", 100, 1, 1000));
    assertTrue(e.getMessage().contains("1..1000"), e.getMessage());
  }

  @Test void givenBlankValues_whenRead_thenTreatedAsUnset() {
    Settings s = Settings.of(Map.of("A", "  ", "B", " x "));
    assertFalse(s.isSet("A"));
    assertEquals("x", s.string("B", "d"));
    assertEquals(Duration.ofSeconds(60), s.seconds("RING_TIMEOUT_S", 60, 1, 600));
  }

  @Test void givenBooleansAndChoices_whenRead_thenParsedOrRejected() {
    Settings s = Settings.of(Map.of("USE_EXOLVE_HTTP", "TRUE", "AMD_MODE", "Off", "BAD", "maybe"));
    assertTrue(s.bool("USE_EXOLVE_HTTP", false));
    assertEquals("off", s.choice("AMD_MODE", "detect", "detect", "off"));
    assertThrows(ConfigException.class, () -> s.bool("BAD", false));
    assertThrows(ConfigException.class, () -> s.choice("BAD", "a", "a", "b"));
  }

  @Test void givenSecret_whenPrinted_thenMasked() {
    Secret p = Secret.of("s3cret");
    assertEquals("****", p.toString());
    assertEquals("s3cret", p.reveal());
    assertEquals("url?token=****", p.maskIn("url?token=s3cret"));
    Settings s = Settings.of(Map.of("EXOLVE_SIP_PASS", "s3cret"));
    assertFalse(s.toString().contains("s3cret"));
    assertFalse(String.valueOf(s.secret("EXOLVE_SIP_PASS").orElseThrow()).contains("s3cret"));
  }
}
