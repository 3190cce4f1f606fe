package io.voiceagent.sip;

import static io.voiceagent.sip.SipTestSupport.WAIT;
import static io.voiceagent.sip.SipTestSupport.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voiceagent.core.telephony.TelephonyHealth;
import io.voiceagent.sip.RegistrationStatus.State;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SipRegistrationTest {

  @Test void givenRegistrarChallenging401_whenStarting_thenRegistersWithVerifiedDigestAndUnregistersOnClose()
      throws Exception {
    try (Sipp registrar = Sipp.uas("registrar_401.xml", Map.of())) {
      FakeRtpEngine rtp = new FakeRtpEngine();
      Instant before = Instant.now();
      SipUserAgent ua = SipUserAgent.builder(SipTestSupport.config(registrar.port).register(true).build())
          .rtpEngine(rtp).start();
      try {
        await("registration", WAIT, ua::registration, s -> s.state() == State.REGISTERED);
        RegistrationStatus s = ua.registration();
        assertNull(s.lastError());
        assertTrue(s.expiresAt().isAfter(before.plusSeconds(100)) && s.expiresAt().isBefore(Instant.now().plusSeconds(121)),
            "granted 120 s, not the 3600 asked: " + s.expiresAt());
        TelephonyHealth h = ua.health();
        assertTrue(h.ready());
        assertEquals("registered", h.state());
        assertEquals("true", h.details().get("registered"));
        assertEquals(s.expiresAt().toString(), h.details().get("expires_at"));
      } finally {
        ua.close();
      }
      assertEquals(State.UNREGISTERED, ua.registration().state(), "un-registered on close");
      assertFalse(ua.health().ready());
      assertEquals(0, registrar.awaitExit(WAIT), registrar.trace());
    }
  }
}
