package io.voiceagent.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voiceagent.core.config.Settings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The demo end to end: real SIP and RTP over loopback to the embedded callee, answering-machine detection
 * on (the callee says "Алло?" like a person), the sandbox agent talking, and a hang-up after ten seconds.
 */
class SandboxDemoTest {
  @Test void givenNoSettings_whenDemoRuns_thenAnsweredHumanAgentTalksCompletedExit0() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    int code = Demo.run(Settings.of(Map.of("RTP_PORT_MIN", "41000", "RTP_PORT_MAX", "41998")), out);
    String printed = bytes.toString(StandardCharsets.UTF_8);
    assertEquals(0, code, printed);
    for (String line : new String[] {"[call] dialing", "[call] ringing", "[call] answered", "[agent] ",
        "[call] completed (local_hangup)", "demo: OK"}) {
      assertTrue(printed.contains(line), "\"" + line + "\" in:\n" + printed);
    }
    assertTrue(printed.indexOf("[call] answered") < printed.indexOf("[agent] "), "the agent speaks only after the answer");
  }
}
