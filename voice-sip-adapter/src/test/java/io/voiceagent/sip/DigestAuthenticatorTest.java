package io.voiceagent.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voiceagent.core.config.Secret;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DigestAuthenticatorTest {
  // RFC 7616 §3.9.1
  private static final String RFC7616_NONCE = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v";
  private static final String RFC7616_CNONCE = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";
  private static final String RFC7616_OPAQUE = "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS";

  @Test void givenRfc7616Md5Example_whenComputingResponse_thenMatchesTheRfc() {
    String r = DigestAuthenticator.response(DigestAlgorithm.MD5, "Mufasa", "http-auth@example.org",
        Secret.of("Circle of Life"), RFC7616_NONCE, "00000001", RFC7616_CNONCE, "auth", "GET", "/dir/index.html", null);
    assertEquals("8ca523f5e9506fed4657c9700eebdbec", r);
  }

  @Test void givenRfc7616Sha256Example_whenComputingResponse_thenMatchesTheRfc() {
    String r = DigestAuthenticator.response(DigestAlgorithm.SHA_256, "Mufasa", "http-auth@example.org",
        Secret.of("Circle of Life"), RFC7616_NONCE, "00000001", RFC7616_CNONCE, "auth", "GET", "/dir/index.html", null);
    assertEquals("753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1", r);
  }

  @Test void givenRfc2617Example_whenComputingResponse_thenMatchesTheRfc() {
    String r = DigestAuthenticator.response(DigestAlgorithm.MD5, "Mufasa", "testrealm@host.com",
        Secret.of("Circle Of Life"), "dcd98b7102dd2f0e8b11d0f600bfb0c093", "00000001", "0a4f113b", "auth", "GET",
        "/dir/index.html", null);
    assertEquals("6629fae49393a05397450978507c4ef1", r);
  }

  @Test void givenExolveShapedRegister_whenComputingResponse_thenMatchesTheReferenceCheckValue() {
    String r = DigestAuthenticator.response(DigestAlgorithm.MD5, "883140000000000", "sip.exolve.ru",
        Secret.of("s3cret"), "5f2d1c0b9a", "00000001", "0a4f113b", "auth", "REGISTER", "sip:sip.exolve.ru", null);
    assertEquals("ffbdb2e6563c0578f1be380644a380b7", r);
  }

  @Test void givenRfc7616Challenge_whenAuthorizing_thenHeaderCarriesEveryFieldAndTheRfcResponse() {
    DigestChallenge c = DigestChallenge.parse("Digest realm=\"http-auth@example.org\", qop=\"auth, auth-int\", "
        + "algorithm=SHA-256, nonce=\"" + RFC7616_NONCE + "\", opaque=\"" + RFC7616_OPAQUE + "\"", false);
    var auth = new DigestAuthenticator("Mufasa", Secret.of("Circle of Life"), () -> RFC7616_CNONCE);

    Map<String, String> h = params(auth.authorize(c, "GET", "/dir/index.html", null));

    assertEquals("753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1", h.get("response"));
    assertEquals("Mufasa", h.get("username"));
    assertEquals("http-auth@example.org", h.get("realm"));
    assertEquals("/dir/index.html", h.get("uri"));
    assertEquals("SHA-256", h.get("algorithm"));
    assertEquals("auth", h.get("qop"));
    assertEquals("00000001", h.get("nc"));
    assertEquals(RFC7616_CNONCE, h.get("cnonce"));
    assertEquals(RFC7616_OPAQUE, h.get("opaque"));
  }

  @Test void givenSameNonce_whenAuthorizingTwice_thenNcCountsAndCnonceChanges() {
    DigestChallenge c = DigestChallenge.parse("Digest realm=\"sip.exolve.ru\", nonce=\"n1\", qop=\"auth\"", false);
    var auth = new DigestAuthenticator("883140000000000", Secret.of("s3cret"));

    Map<String, String> first = params(auth.authorize(c, "REGISTER", "sip:sip.exolve.ru", null));
    Map<String, String> second = params(auth.authorize(c, "INVITE", "sip:79123456789@sip.exolve.ru", null));

    assertEquals("00000001", first.get("nc"));
    assertEquals("00000002", second.get("nc"));
    assertNotEquals(first.get("cnonce"), second.get("cnonce"));
    assertEquals(16, first.get("cnonce").length(), "64 random bits as hex");
    assertEquals("MD5", first.get("algorithm"));
  }

  @Test void givenStaleChallengeWithNewNonce_whenAuthorizing_thenNcRestartsAtOne() {
    var auth = new DigestAuthenticator("u", Secret.of("p"));
    DigestChallenge old = DigestChallenge.parse("Digest realm=\"r\", nonce=\"old\", qop=auth", false);
    auth.authorize(old, "REGISTER", "sip:r", null);
    auth.authorize(old, "REGISTER", "sip:r", null);
    DigestChallenge fresh = DigestChallenge.parse("Digest realm=\"r\", nonce=\"new\", qop=auth, stale=TRUE", false);

    assertTrue(fresh.stale());
    Map<String, String> h = params(auth.authorize(fresh, "REGISTER", "sip:r", null));

    assertEquals("00000001", h.get("nc"));
    assertEquals("new", h.get("nonce"));
  }

  @Test void givenChallengeWithoutQop_whenAuthorizing_thenRfc2069FormWithoutNcOrCnonce() {
    DigestChallenge c = DigestChallenge.parse("Digest realm=\"r\", nonce=\"abc\"", true);
    var auth = new DigestAuthenticator("alice", Secret.of("pw"));

    Map<String, String> h = params(auth.authorize(c, "BYE", "sip:bob@host", null));

    assertTrue(c.proxy());
    assertNull(h.get("qop"));
    assertNull(h.get("nc"));
    assertNull(h.get("cnonce"));
    var md5 = DigestAlgorithm.MD5;
    String expected = md5.hex(md5.hex("alice:r:pw") + ":abc:" + md5.hex("BYE:sip:bob@host"));
    assertEquals(expected, h.get("response"));
  }

  @Test void givenSessAlgorithms_whenAuthorizing_thenHa1IsRehashedWithNonceAndCnonce() {
    for (String name : List.of("MD5-sess", "SHA-256-sess")) {
      DigestChallenge c = DigestChallenge.parse("Digest realm=\"r\", nonce=\"nn\", qop=\"auth\", algorithm=" + name, false);
      var auth = new DigestAuthenticator("u", Secret.of("p"), () -> "cafebabe00000000");
      Map<String, String> h = params(auth.authorize(c, "INVITE", "sip:x@r", null));

      DigestAlgorithm a = DigestAlgorithm.fromToken(name);
      String ha1 = a.hex(a.hex("u:r:p") + ":nn:cafebabe00000000");
      String expected = a.hex(ha1 + ":nn:00000001:cafebabe00000000:auth:" + a.hex("INVITE:sip:x@r"));
      assertEquals(expected, h.get("response"), name);
      assertEquals(name, h.get("algorithm"));
    }
  }

  @Test void givenOnlyAuthIntOffered_whenAuthorizing_thenBodyHashIsPartOfHa2() {
    DigestChallenge c = DigestChallenge.parse("Digest realm=\"r\", nonce=\"nn\", qop=\"auth-int\"", false);
    var auth = new DigestAuthenticator("u", Secret.of("p"), () -> "00000000deadbeef");
    byte[] body = "v=0\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    Map<String, String> h = params(auth.authorize(c, "INVITE", "sip:x@r", body));

    var a = DigestAlgorithm.MD5;
    String ha2 = a.hex("INVITE:sip:x@r:" + a.hex(body));
    assertEquals(a.hex(a.hex("u:r:p") + ":nn:00000001:00000000deadbeef:auth-int:" + ha2), h.get("response"));
    assertEquals("auth-int", h.get("qop"));
  }

  @Test void givenUnknownAlgorithm_whenAuthorizing_thenTypedErrorNamesIt() {
    DigestChallenge c = DigestChallenge.parse("Digest realm=\"r\", nonce=\"nn\", algorithm=AKAv1-MD5", false);
    var auth = new DigestAuthenticator("u", Secret.of("topsecret"));

    var e = assertThrows(SipAuthenticationException.class, () -> auth.authorize(c, "REGISTER", "sip:r", null));

    assertTrue(e.getMessage().contains("AKAv1-MD5"), e.getMessage());
    assertFalse(e.getMessage().contains("topsecret"));
  }

  @Test void givenMalformedChallenges_whenParsing_thenClearErrors() {
    assertThrows(IllegalArgumentException.class, () -> DigestChallenge.parse("Basic realm=\"r\"", false));
    assertThrows(IllegalArgumentException.class, () -> DigestChallenge.parse("Digest nonce=\"n\"", false));
    assertThrows(IllegalArgumentException.class, () -> DigestChallenge.parse("Digest realm=\"r\"", false));
    assertThrows(IllegalArgumentException.class, () -> DigestChallenge.parse("Digest realm=\"r, nonce=n", false));
  }

  @Test void givenTwoAuthenticators_whenGeneratingManyCnonces_thenNoneRepeat() {
    var gen = DigestAuthenticator.randomCnonces(new SecureRandom());
    Deque<String> seen = new ArrayDeque<>();
    for (int i = 0; i < 1000; i++) {
      String c = gen.get();
      assertFalse(seen.contains(c));
      seen.add(c);
    }
  }

  /** Parses our own header value back into a map, unquoting. */
  static Map<String, String> params(String header) {
    assertTrue(header.startsWith("Digest "), header);
    Map<String, String> out = new HashMap<>();
    String rest = header.substring(7);
    int i = 0;
    while (i < rest.length()) {
      while (i < rest.length() && (rest.charAt(i) == ' ' || rest.charAt(i) == ',')) i++;
      int eq = rest.indexOf('=', i);
      String name = rest.substring(i, eq);
      i = eq + 1;
      String val;
      if (rest.charAt(i) == '"') {
        int end = rest.indexOf('"', i + 1);
        val = rest.substring(i + 1, end);
        i = end + 1;
      } else {
        int end = rest.indexOf(',', i);
        if (end < 0) end = rest.length();
        val = rest.substring(i, end);
        i = end;
      }
      out.put(name, val);
    }
    return out;
  }
}
