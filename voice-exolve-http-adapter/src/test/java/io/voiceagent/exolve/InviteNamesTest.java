package io.voiceagent.exolve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voiceagent.core.call.EndReason;
import io.voiceagent.sip.InboundInvite;
import java.net.InetSocketAddress;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Finding a call's name in an INVITE only where it certainly is one; Q.850 causes to end reasons. */
class InviteNamesTest {
  private static InboundInvite invite(Map<String, String> headers) {
    return new InboundInvite("abc@host", "sip:79161234567@sip.exolve.ru", "79161234567",
        "sip:883140000000000@10.0.0.1", "883140000000000", InetSocketAddress.createUnresolved("80.75.130.100", 5060),
        headers);
  }

  @Test void givenATokenInText_whenBoundedByNonAlphanumerics_thenNamed() {
    assertTrue(InviteNames.namedIn("call_id=721356000123;x", "721356000123"));
    assertTrue(InviteNames.namedIn("721356000123", "721356000123"));
    assertFalse(InviteNames.namedIn("7213560001234", "721356000123"), "part of a longer number");
    assertFalse(InviteNames.namedIn("a721356000123", "721356000123"));
    assertTrue(InviteNames.namedIn("x 7213560001234 721356000123", "721356000123"), "a later whole occurrence");
  }

  @Test void givenAnInvite_whenACallIdIsInAnXHeader_thenThatHeaderIsNamed() {
    InboundInvite i = invite(Map.of("x-exolve-call-id", "721356000123", "via", "SIP/2.0/UDP 721356000124"));

    assertEquals("x-exolve-call-id", InviteNames.headerNaming(i, "721356000123"));
    assertNull(InviteNames.headerNaming(i, "721356000124"), "Via is never read for names");
  }

  @Test void givenAShortName_whenScanned_thenNeverFoundAcrossHeaders() {
    InboundInvite i = invite(Map.of("x-anything", "555"));

    assertNull(InviteNames.headerNaming(i, "555"), "too short to be certain");
  }

  @Test void givenCauseCodes_whenMapped_thenSpecReasons() {
    assertEquals(EndReason.BUSY, CauseCodes.end(17, false, false).reason());
    assertEquals(EndReason.NO_ANSWER, CauseCodes.end(18, false, false).reason());
    assertEquals(EndReason.NO_ANSWER, CauseCodes.end(19, false, true).reason());
    assertEquals(EndReason.REJECTED, CauseCodes.end(21, false, false).reason());
    assertEquals(EndReason.NOT_FOUND, CauseCodes.end(1, false, false).reason());
    assertEquals(EndReason.REMOTE_HANGUP, CauseCodes.end(16, true, true).reason());
    assertNull(CauseCodes.end(16, true, true).message());
    assertTrue(CauseCodes.end(16, false, false).message().contains("the audio leg never reached our SIP user agent"));
    assertEquals("Exolve ended the call: Q.850 cause 34 (no circuit available)", CauseCodes.end(34, false, false).message());
    assertEquals(EndReason.ERROR, CauseCodes.end(34, false, false).reason());
  }
}
