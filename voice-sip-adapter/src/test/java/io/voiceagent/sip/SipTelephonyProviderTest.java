package io.voiceagent.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voiceagent.core.config.ConfigException;
import io.voiceagent.core.config.Settings;
import io.voiceagent.core.spi.Providers;
import io.voiceagent.core.spi.TelephonyProvider;
import io.voiceagent.core.telephony.TelephonyHealth;
import io.voiceagent.core.telephony.TelephonyPort;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SipTelephonyProviderTest {

  @Test void givenServiceLoader_whenLoadingTelephonyProviders_thenSipIsFound() {
    List<TelephonyProvider> found = Providers.load(TelephonyProvider.class, getClass().getClassLoader());

    assertTrue(found.stream().anyMatch(p -> p.name().equals("sip") && p instanceof SipTelephonyProvider), found.toString());
  }

  @Test void givenSipUser_whenAskingIfConfigured_thenYesUnlessExolveHttpIsOn() {
    var p = new SipTelephonyProvider();
    assertFalse(p.isConfiguredBy(Settings.empty()));
    assertTrue(p.isConfiguredBy(Settings.of(Map.of("EXOLVE_SIP_USER", "883140000000000"))));
    assertFalse(p.isConfiguredBy(Settings.of(Map.of("EXOLVE_SIP_USER", "883140000000000", "USE_EXOLVE_HTTP", "true"))));
    assertTrue(p.isConfiguredBy(Settings.of(Map.of("EXOLVE_SIP_USER", "883140000000000", "USE_EXOLVE_HTTP", "false"))));
  }

  @Test void givenOnlyTheUser_whenReadingSettings_thenSpecDefaults() {
    SipConfig c = SipConfig.fromSettings(Settings.of(Map.of("EXOLVE_SIP_USER", "883140000000000")));

    assertEquals("sip.exolve.ru", c.domain());
    assertEquals("sip.exolve.ru", c.proxyHost(), "the proxy defaults to the domain, resolved by DNS, no IP");
    assertEquals(5060, c.proxyPort());
    assertEquals("883140000000000", c.callerId());
    assertEquals(SipTransport.UDP, c.transport());
    assertEquals(5060, c.localPortMin());
    assertEquals(5080, c.localPortMax());
    assertNull(c.publicAddress());
    assertTrue(c.register());
    assertEquals(Duration.ofSeconds(3600), c.registerExpires());
    assertEquals(Duration.ofSeconds(25), c.keepalive());
    assertEquals(Duration.ofMinutes(5), c.registerRetryMax());
    assertEquals(Duration.ofSeconds(1800), c.sessionExpires());
    assertNull(c.password());
  }

  @Test void givenEverySetting_whenReadingSettings_thenEachIsApplied() {
    SipConfig c = SipConfig.fromSettings(Settings.of(Map.ofEntries(
        Map.entry("EXOLVE_SIP_USER", "883140000000000"), Map.entry("EXOLVE_SIP_PASS", "s3cret"),
        Map.entry("EXOLVE_SIP_DOMAIN", "sip.example"), Map.entry("EXOLVE_SIP_PROXY", "proxy.example:5070"),
        Map.entry("EXOLVE_CALLER_ID", "74950000000"), Map.entry("SIP_TRANSPORT", "TLS"),
        Map.entry("SIP_LOCAL_PORT", "5099"), Map.entry("SIP_PUBLIC_ADDRESS", "203.0.113.7:6000"),
        Map.entry("SIP_KEEPALIVE_S", "0"), Map.entry("SIP_KEEPALIVE_METHOD", "options"),
        Map.entry("SIP_SESSION_EXPIRES_S", "0"), Map.entry("SIP_REGISTER", "false"))));

    assertEquals("s3cret", c.password().reveal());
    assertEquals("proxy.example", c.proxyHost());
    assertEquals(5070, c.proxyPort());
    assertEquals("74950000000", c.callerId());
    assertEquals(SipTransport.TLS, c.transport());
    assertEquals(5099, c.localPortMin());
    assertEquals(5099, c.localPortMax());
    assertEquals("203.0.113.7", c.publicHost());
    assertEquals(6000, c.publicPort());
    assertTrue(c.keepalive().isZero());
    assertTrue(c.keepaliveOptions());
    assertTrue(c.sessionExpires().isZero());
    assertFalse(c.register());
    assertFalse(c.toString().contains("s3cret"), c.toString());
  }

  @Test void givenTlsWithoutProxyPort_whenReadingSettings_thenPort5061() {
    SipConfig c = SipConfig.fromSettings(Settings.of(Map.of("EXOLVE_SIP_USER", "u1", "SIP_TRANSPORT", "tls")));
    assertEquals(5061, c.proxyPort());
  }

  @Test void givenMalformedSettings_whenReadingThem_thenConfigExceptionNamesTheVariable() {
    assertVariable("EXOLVE_SIP_USER", Map.of());
    assertVariable("EXOLVE_SIP_USER", Map.of("EXOLVE_SIP_USER", "bad user"));
    assertVariable("EXOLVE_SIP_DOMAIN", Map.of("EXOLVE_SIP_USER", "u", "EXOLVE_SIP_DOMAIN", "no/such host"));
    assertVariable("SIP_TRANSPORT", Map.of("EXOLVE_SIP_USER", "u", "SIP_TRANSPORT", "sctp"));
    assertVariable("SIP_LOCAL_PORT", Map.of("EXOLVE_SIP_USER", "u", "SIP_LOCAL_PORT", "70000"));
    assertVariable("EXOLVE_SIP_PROXY", Map.of("EXOLVE_SIP_USER", "u", "EXOLVE_SIP_PROXY", "host:port"));
    assertVariable("SIP_PUBLIC_ADDRESS", Map.of("EXOLVE_SIP_USER", "u", "SIP_PUBLIC_ADDRESS", "a b"));
    assertVariable("SIP_SESSION_EXPIRES_S", Map.of("EXOLVE_SIP_USER", "u", "SIP_SESSION_EXPIRES_S", "30"));
    assertVariable("SIP_KEEPALIVE_S", Map.of("EXOLVE_SIP_USER", "u", "SIP_KEEPALIVE_S", "-1"));
    assertVariable("RTP_PORT_MIN", Map.of("RTP_PORT_MIN", "20000", "RTP_PORT_MAX", "10000"), true);
  }

  private static void assertVariable(String variable, Map<String, String> values) {
    assertVariable(variable, values, false);
  }

  private static void assertVariable(String variable, Map<String, String> values, boolean rtp) {
    Settings s = Settings.of(values);
    ConfigException e = assertThrows(ConfigException.class,
        () -> {
          if (rtp) SipTelephonyProvider.rtpConfig(s);
          else SipConfig.fromSettings(s);
        });
    assertEquals(variable, e.variable(), e.getMessage());
    assertTrue(e.getMessage().contains(variable), e.getMessage());
  }

  @Test void givenSettingsAimedAtALocalRegistrar_whenCreatingThePort_thenItStartsWithTheRealRtpEngineAndCloses()
      throws Exception {
    int port = Sipp.freeUdpPort();
    Settings s = Settings.of(Map.of("EXOLVE_SIP_USER", "883140000000000", "EXOLVE_SIP_PASS", "s3cret",
        "EXOLVE_SIP_PROXY", "127.0.0.1:" + Sipp.freeUdpPort(), "SIP_LOCAL_PORT", Integer.toString(port),
        "SIP_BIND_ADDRESS", "127.0.0.1", "SIP_REGISTER", "false", "RTP_PORT_MIN", "41000", "RTP_PORT_MAX", "41100"));

    try (TelephonyPort p = new SipTelephonyProvider().create(s)) {
      TelephonyHealth h = p.health();
      assertTrue(h.ready());
      assertEquals("sip", h.provider());
      assertEquals("ready", h.state());
      assertEquals("127.0.0.1:" + port, h.details().get("local_address"));
    }
  }
}
