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
import java.time.Duration;
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

  @Test void given423Then407ThenStaleNonce_whenRegistering_thenMinExpiresAndFreshNonceAreUsed() throws Exception {
    try (Sipp registrar = Sipp.uas("registrar_423_407_stale.xml", Map.of())) {
      SipUserAgent ua = SipUserAgent.builder(SipTestSupport.config(registrar.port).register(true).build())
          .rtpEngine(new FakeRtpEngine()).start();
      try {
        await("registration", WAIT, ua::registration, s -> s.state() == State.REGISTERED);
        assertTrue(ua.registration().expiresAt().isAfter(Instant.now().plusSeconds(7000)), "7200 s granted");
        assertEquals(0, registrar.awaitExit(WAIT), registrar.trace());
      } finally {
        ua.close();
      }
    }
  }

  @Test void givenRegistrarRejectingCredentials_whenRegistering_thenClearErrorThenBackoffThenRegistered()
      throws Exception {
    try (Sipp registrar = Sipp.uas("registrar_rejects.xml", Map.of())) {
      SipUserAgent ua = SipUserAgent.builder(SipTestSupport.config(registrar.port).register(true)
          .registerRetry(Duration.ofSeconds(1), Duration.ofSeconds(5)).build()).rtpEngine(new FakeRtpEngine()).start();
      try {
        await("failure", WAIT, ua::registration, s -> s.state() == State.FAILED);
        assertEquals("authentication rejected by 127.0.0.1", ua.registration().lastError());
        TelephonyHealth h = ua.health();
        assertFalse(h.ready());
        assertEquals("failed", h.state());
        assertEquals("authentication rejected by 127.0.0.1", h.details().get("last_error"));
        assertFalse(h.toString().contains("s3cret"));

        await("registration after back-off", WAIT, ua::registration, s -> s.state() == State.REGISTERED);
        assertNull(ua.registration().lastError());
        assertEquals(0, registrar.awaitExit(WAIT), registrar.trace());
      } finally {
        ua.close();
      }
    }
  }

  @Test void givenFailures_whenBackingOff_thenDoublesFromMinimumUpToTheCap() {
    Duration min = Duration.ofSeconds(5);
    Duration max = Duration.ofMinutes(5);
    assertEquals(Duration.ofSeconds(5), Registration.backoff(1, min, max));
    assertEquals(Duration.ofSeconds(10), Registration.backoff(2, min, max));
    assertEquals(Duration.ofSeconds(160), Registration.backoff(6, min, max));
    assertEquals(max, Registration.backoff(7, min, max));
    assertEquals(max, Registration.backoff(1000, min, max));
  }

  @Test void givenGrantedExpiry_whenScheduling_thenRefreshWellBeforeTheEnd() {
    assertEquals(Duration.ofSeconds(3300), Registration.refreshAfter(Duration.ofSeconds(3600)), "5 min before the end");
    assertEquals(Duration.ofSeconds(300), Registration.refreshAfter(Duration.ofSeconds(600)), "half of 10 min");
    assertEquals(Duration.ofSeconds(30), Registration.refreshAfter(Duration.ofSeconds(60)));
    assertEquals(Duration.ofSeconds(1), Registration.refreshAfter(Duration.ofSeconds(1)));
  }

  @Test void givenKeepaliveOn_whenIdle_thenCrlfReachesTheProxyRepeatedly() throws Exception {
    try (RawSipPeer proxy = new RawSipPeer(null)) {
      SipUserAgent ua = SipUserAgent.builder(SipTestSupport.config(proxy.port())
          .keepalive(Duration.ofSeconds(1), false).build()).rtpEngine(new FakeRtpEngine()).start();
      try {
        for (int i = 0; i < 2; i++) {
          String m = proxy.receive(WAIT);
          assertEquals("\r\n\r\n", m, "CRLF keepalive " + i);
        }
      } finally {
        ua.close();
      }
    }
  }

  @Test void givenOptionsKeepalive_whenIdle_thenOptionsReachTheProxy() throws Exception {
    try (RawSipPeer proxy = new RawSipPeer(null)) {
      SipUserAgent ua = SipUserAgent.builder(SipTestSupport.config(proxy.port())
          .keepalive(Duration.ofSeconds(1), true).build()).rtpEngine(new FakeRtpEngine()).start();
      try {
        String m = proxy.await("OPTIONS ", WAIT);
        assertTrue(RawSipPeer.header(m, "Via").contains("rport"), m);
      } finally {
        ua.close();
      }
    }
  }
}
