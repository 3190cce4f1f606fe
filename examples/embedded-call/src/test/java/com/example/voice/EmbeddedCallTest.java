package com.example.voice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voiceagent.core.call.Call;
import io.voiceagent.core.call.CallStatus;
import io.voiceagent.core.call.EndReason;
import io.voiceagent.core.config.Settings;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EmbeddedCallTest {
  @Test void givenNoSettings_whenTheExampleRuns_thenASandboxCallIsAnsweredTalkedAndHungUp() throws Exception {
    Call done = EmbeddedCall.run(Settings.of(Map.of("RTP_PORT_MIN", "42000", "RTP_PORT_MAX", "42998")), "+79990000000");
    assertEquals(CallStatus.COMPLETED, done.status(), String.valueOf(done.message()));
    assertEquals(EndReason.LOCAL_HANGUP, done.endReason());
    assertTrue(done.aiConnected(), "the sandbox agent talked");
    assertEquals("human", done.amd().result().wireName(), "the sandbox callee says Алло? like a person");
    assertFalse(done.transcript().isEmpty());
  }
}
