package io.voiceagent.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voiceagent.rtp.MediaDirection;
import io.voiceagent.rtp.RtpCodec;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SessionDescriptionTest {
  private static SessionDescription parse(String s) {
    return SessionDescription.parse(s.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8));
  }

  @Test void givenOurOffer_whenWritten_thenPcmaPcmuTelephoneEventPtime20Sendrecv() {
    String offer = SessionDescription.offer("203.0.113.7", 10000, 1234567890L, 1, MediaDirection.SENDRECV);

    assertTrue(offer.contains("c=IN IP4 203.0.113.7\r\n"), offer);
    assertTrue(offer.contains("m=audio 10000 RTP/AVP 8 0 101\r\n"), offer);
    assertTrue(offer.contains("a=rtpmap:8 PCMA/8000\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\n"), offer);
    assertTrue(offer.contains("a=fmtp:101 0-15\r\na=ptime:20\r\na=sendrecv\r\n"), offer);
    assertEquals(List.of(8, 0, 101), parse(offer).payloadTypes());
  }

  @Test void givenExolvesAnswer_whenParsed_thenPcmaAndItsAddress() {
    SessionDescription d = parse("v=0\no=- 1 1 IN IP4 80.75.130.100\ns=-\nc=IN IP4 80.75.130.100\nt=0 0\n"
        + "m=audio 41496 RTP/AVP 8 101\na=rtpmap:8 PCMA/8000\na=rtpmap:101 telephone-event/8000\na=fmtp:101 0-15\n");

    assertEquals("80.75.130.100", d.address().getHostAddress());
    assertEquals(41496, d.port());
    assertEquals(Optional.of(RtpCodec.PCMA), d.firstCommonCodec());
    assertEquals(101, d.telephoneEventType());
    assertEquals(MediaDirection.SENDRECV, d.direction());
  }

  @Test void givenMediaLevelConnectionAndDirection_whenParsed_thenTheyOverrideSessionLevel() {
    SessionDescription d = parse("v=0\nc=IN IP4 10.0.0.1\na=sendrecv\nt=0 0\nm=audio 4000 RTP/AVP 0 8\n"
        + "c=IN IP4 192.0.2.9\na=sendonly\nm=video 5000 RTP/AVP 96\nc=IN IP4 10.9.9.9\n");

    assertEquals("192.0.2.9", d.address().getHostAddress());
    assertEquals(MediaDirection.SENDONLY, d.direction());
    assertTrue(d.isHold());
    assertEquals(Optional.of(RtpCodec.PCMU), d.firstCommonCodec(), "the answer's first common codec");
    assertEquals(-1, d.telephoneEventType());
  }

  @Test void givenOldStyleHold_whenParsed_thenNoAddressAndHold() {
    SessionDescription d = parse("v=0\nc=IN IP4 0.0.0.0\nt=0 0\nm=audio 4000 RTP/AVP 8\n");
    assertNull(d.address());
    assertTrue(d.isHold());
  }

  @Test void givenOnlyUnsupportedCodecs_whenAnswering_thenNoCommonCodecError() {
    SessionDescription d = parse("v=0\nc=IN IP4 192.0.2.1\nt=0 0\nm=audio 4000 RTP/AVP 18 9\n");
    assertEquals(Optional.empty(), d.firstCommonCodec());
    var e = assertThrows(IllegalArgumentException.class, () -> SessionDescription.answer(d, "127.0.0.1", 1, 1, 1));
    assertTrue(e.getMessage().contains("no common codec"), e.getMessage());
  }

  @Test void givenAnOfferOnHold_whenAnswering_thenWeMirrorItsDirection() {
    SessionDescription d = parse("v=0\nc=IN IP4 192.0.2.1\nt=0 0\nm=audio 4000 RTP/AVP 0 101\n"
        + "a=rtpmap:101 telephone-event/8000\na=sendonly\n");
    String answer = SessionDescription.answer(d, "127.0.0.1", 2000, 1, 2);
    assertTrue(answer.contains("m=audio 2000 RTP/AVP 0 101"), answer);
    assertTrue(answer.contains("a=recvonly"), answer);
  }

  @Test void givenBrokenSdp_whenParsed_thenClearErrors() {
    assertThrows(IllegalArgumentException.class, () -> SessionDescription.parse(new byte[0]));
    assertThrows(IllegalArgumentException.class, () -> parse("v=0\nc=IN IP4 1.2.3.4\n"));
    assertThrows(IllegalArgumentException.class, () -> parse("v=0\nm=audio 4000 RTP/AVP 0\n"));
    assertThrows(IllegalArgumentException.class, () -> parse("v=0\nc=IN IP4 1.2.3.4\nm=audio port RTP/AVP 0\n"));
    assertThrows(IllegalArgumentException.class, () -> parse("v=0\nc=IN IP4 host.example\nm=audio 4000 RTP/AVP 0\n"));
    assertThrows(IllegalArgumentException.class, () -> parse("v=0\nc=XX\nm=audio 4000 RTP/AVP 0\n"));
  }
}
