package io.voiceagent.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RtpConfigTest {
  private static final InetAddress ANY = InetAddress.getLoopbackAddress();

  @Test void givenUsualSettings_whenBuilt_thenTuningHasSafeDefaults() {
    RtpConfig c = new RtpConfig(ANY, 10000, 20000, Duration.ofSeconds(30));
    assertEquals(Duration.ofSeconds(3), c.learningWindow());
    assertFalse(c.strictLatching());
    assertEquals(Duration.ZERO, c.pacerSpin());
    assertEquals(1, c.ioThreads());
    assertEquals(40, c.jitterInitialDelayMillis());
    assertEquals(200, c.jitterMaxDelayMillis());
    assertEquals(10000, c.firstPort());
    assertEquals(10002, new RtpConfig(ANY, 10001, 20000, Duration.ofSeconds(30)).firstPort(), "odd minimum rounds up");
  }

  @Test void givenBadValues_whenBuilt_thenErrorNamesTheSettingAndWhatIsExpected() {
    assertMessage("RTP_PORT_MIN", () -> new RtpConfig(ANY, 20000, 10000, Duration.ofSeconds(30)));
    assertMessage("1024", () -> new RtpConfig(ANY, 80, 10000, Duration.ofSeconds(30)));
    assertMessage("no even RTP port", () -> new RtpConfig(ANY, 10001, 10002, Duration.ofSeconds(30)));
    assertMessage("MEDIA_TIMEOUT_S", () -> new RtpConfig(ANY, 10000, 20000, Duration.ofSeconds(-1)));
    RtpConfig ok = new RtpConfig(ANY, 10000, 20000, Duration.ofSeconds(30));
    assertMessage("RTP_IO_THREADS", () -> ok.withIoThreads(0));
    assertMessage("RTP_PACER_SPIN_US", () -> ok.withPacerSpin(Duration.ofMillis(6)));
    assertMessage("RTP_LEARNING_WINDOW_MS", () -> ok.withLearningWindow(Duration.ofMillis(-1)));
    assertMessage("RTP_JITTER_MAX_MS", () -> ok.withJitterDelays(100, 60));
  }

  private static void assertMessage(String part, org.junit.jupiter.api.function.Executable e) {
    IllegalArgumentException x = assertThrows(IllegalArgumentException.class, e);
    assertTrue(x.getMessage().contains(part), x.getMessage());
  }
}
