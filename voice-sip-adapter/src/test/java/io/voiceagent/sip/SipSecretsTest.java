package io.voiceagent.sip;

import static io.voiceagent.sip.SipTestSupport.WAIT;
import static io.voiceagent.sip.SipTestSupport.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voiceagent.sip.RegistrationStatus.State;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The SIP password never reaches a log line, even with the wire trace at its most verbose. */
class SipSecretsTest {

  @Test void givenDigestRegistrationWithTracing_whenLogsAreCaptured_thenThePasswordNeverAppears() throws Exception {
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    // slf4j-simple writes to whatever System.err is at the time of each line
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try (Sipp registrar = Sipp.uas("registrar_401.xml", Map.of())) {
      SipUserAgent ua = SipUserAgent.builder(SipTestSupport.config(registrar.port).register(true).build())
          .rtpEngine(new FakeRtpEngine()).start();
      try {
        await("registration", WAIT, ua::registration, s -> s.state() == State.REGISTERED);
        assertFalse(ua.toString().contains("s3cret"));
        assertFalse(ua.health().toString().contains("s3cret"));
      } finally {
        ua.close();
      }
      assertEquals(0, registrar.awaitExit(WAIT), registrar.trace());
      assertTrue(registrar.messages().contains("Authorization: Digest"), "the digest went out");
      assertFalse(registrar.messages().contains("s3cret"), "not on the wire either");
    } finally {
      System.setErr(original);
    }
    String logs = captured.toString(StandardCharsets.UTF_8);
    assertTrue(logs.contains("registered with 127.0.0.1"), "logs were captured: " + logs.length() + " chars");
    assertTrue(logs.contains("Authorization: Digest"), "the wire trace logged whole messages (TRACE)");
    assertFalse(logs.contains("s3cret"), "the password is in the logs");
  }
}
