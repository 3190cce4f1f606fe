package io.voiceagent.exolve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voiceagent.core.config.ConfigException;
import io.voiceagent.core.config.Settings;
import io.voiceagent.core.spi.Providers;
import io.voiceagent.core.spi.TelephonyProvider;
import java.math.BigInteger;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Settings: what is required, what is malformed, and how the provider is found and chosen. */
class ExolveHttpConfigTest {
  private static Map<String, String> base() {
    Map<String, String> s = new HashMap<>();
    s.put("USE_EXOLVE_HTTP", "true");
    s.put("EXOLVE_API_KEY", "k-123456");
    s.put("EXOLVE_SOURCE_NUMBER", "79990000001");
    s.put("EXOLVE_NUMBER_CODE", "79990000001");
    s.put("EXOLVE_CALLBACK_RESOURCE_ID", "1657");
    s.put("EXOLVE_SIP_USER", "883140000000000");
    s.put("EXOLVE_SIP_PASS", "s3cret");
    return s;
  }

  private static ConfigException fails(String name, String value) {
    Map<String, String> s = base();
    if (value == null) {
      s.remove(name);
    } else {
      s.put(name, value);
    }
    return assertThrows(ConfigException.class, () -> ExolveHttpConfig.fromSettings(Settings.of(s)));
  }

  @Test void givenTheRequiredSettings_whenRead_thenSpecDefaults() {
    ExolveHttpConfig c = ExolveHttpConfig.fromSettings(Settings.of(base()));

    assertEquals("https://api.exolve.ru/", c.apiUrl().toString());
    assertEquals(ExolveHttpConfig.Method.MAKE_CALLBACK, c.method());
    assertEquals(ExolveHttpConfig.Order.CALLEE_FIRST, c.order());
    assertEquals("883140000000000", c.agentNumber(), "our leg rings our SIP login unless told otherwise");
    assertEquals(BigInteger.valueOf(1657), c.callbackResourceId());
    assertNull(c.webhookSecret());
    assertNull(c.legMatchHeader());
    assertEquals(Duration.ofSeconds(15), c.pollInterval());
    assertEquals(Duration.ofSeconds(10), c.httpTimeout());
    assertEquals(50, c.queueMax());
    assertFalse(c.toString().contains("k-123456"), "the key is masked: " + c);
  }

  @Test void givenNoSipPassword_whenRead_thenConfigExceptionNamesIt() {
    ConfigException e = fails("EXOLVE_SIP_PASS", null);
    assertEquals("EXOLVE_SIP_PASS", e.variable());
    assertTrue(e.getMessage().contains("audio leg"), e.getMessage());
  }

  @Test void givenNoSipUser_whenRead_thenConfigExceptionNamesIt() {
    assertEquals("EXOLVE_SIP_USER", fails("EXOLVE_SIP_USER", null).variable());
  }

  @Test void givenNoApiKey_whenRead_thenConfigExceptionNamesIt() {
    assertEquals("EXOLVE_API_KEY", fails("EXOLVE_API_KEY", null).variable());
  }

  @Test void givenMakeCallbackWithoutItsIds_whenRead_thenEachIsNamed() {
    assertEquals("EXOLVE_NUMBER_CODE", fails("EXOLVE_NUMBER_CODE", null).variable());
    assertEquals("EXOLVE_CALLBACK_RESOURCE_ID", fails("EXOLVE_CALLBACK_RESOURCE_ID", null).variable());
  }

  @Test void givenMalformedValues_whenRead_thenTheMessageSaysWhatWasExpected() {
    ConfigException plus = fails("EXOLVE_SOURCE_NUMBER", "+79990000001");
    assertTrue(plus.getMessage().contains("without '+'"), plus.getMessage());
    ConfigException big = fails("EXOLVE_NUMBER_CODE", "18446744073709551616");
    assertTrue(big.getMessage().contains("expected a whole number 0..18446744073709551615"), big.getMessage());
    assertEquals("EXOLVE_CALLBACK_ORDER", fails("EXOLVE_CALLBACK_ORDER", "whoever").variable());
    assertEquals("EXOLVE_HTTP_METHOD", fails("EXOLVE_HTTP_METHOD", "MakeCallz").variable());
    assertEquals("EXOLVE_API_URL", fails("EXOLVE_API_URL", "not a url").variable());
    assertEquals("EXOLVE_LEG_SOURCES", fails("EXOLVE_LEG_SOURCES", "sip.exolve.ru").variable());
    assertEquals("EXOLVE_LEG_MATCH_HEADER", fails("EXOLVE_LEG_MATCH_HEADER", "X Call").variable());
    assertEquals("EXOLVE_AGENT_NUMBER", fails("EXOLVE_AGENT_NUMBER", "sip:me@host").variable());
    ConfigException socks = fails("SOCKS5_PROXY", "http://user:hunter2@proxy:1080");
    assertEquals("SOCKS5_PROXY", socks.variable());
    assertFalse(socks.getMessage().contains("hunter2"), "a proxy password is never echoed");
  }

  @Test void givenMakeCall_whenRead_thenNoCallbackIdsNeeded() {
    Map<String, String> s = base();
    s.remove("EXOLVE_NUMBER_CODE");
    s.remove("EXOLVE_CALLBACK_RESOURCE_ID");
    s.put("EXOLVE_HTTP_METHOD", "MakeCall");

    assertEquals(ExolveHttpConfig.Method.MAKE_CALL, ExolveHttpConfig.fromSettings(Settings.of(s)).method());
  }

  @Test void givenTuning_whenRead_thenApplied() {
    Map<String, String> s = base();
    s.put("EXOLVE_LEG_MATCH_HEADER", "X-Exolve-Call-Id");
    s.put("EXOLVE_LEG_SOURCES", "80.75.130.101, 80.75.130.99");
    s.put("EXOLVE_API_URL", "https://api.example.test/");
    s.put("SOCKS5_PROXY", "socks5://u:p@127.0.0.1:1080");

    ExolveHttpConfig c = ExolveHttpConfig.fromSettings(Settings.of(s));

    assertEquals("x-exolve-call-id", c.legMatchHeader());
    assertEquals(2, c.legSources().size());
    assertEquals("https://api.example.test/", c.apiUrl().toString());
    assertEquals("socks5://u:****@127.0.0.1:1080", c.socks5().toString());
  }

  @Test void givenBothTelephonyProviders_whenUseExolveHttp_thenExolveHttpIsChosen() {
    List<TelephonyProvider> present = Providers.load(TelephonyProvider.class, getClass().getClassLoader());
    Settings s = Settings.of(base());

    TelephonyProvider chosen = Providers.chooseTelephony(present, s);

    assertEquals("exolve-http", chosen.name());
    assertTrue(present.stream().anyMatch(p -> p.name().equals("sip")), "the SIP adapter is on the class path too");
    assertFalse(new ExolveHttpTelephonyProvider().isConfiguredBy(s.with("USE_EXOLVE_HTTP", "false")));
  }

  @Test void givenLoopbackOrPublicHosts_whenChecked_thenOnlyLoopbackWarns() {
    assertTrue(ExolveHttpTelephony.isLoopback("127.0.0.1"));
    assertTrue(ExolveHttpTelephony.isLoopback("localhost"));
    assertTrue(ExolveHttpTelephony.isLoopback("[::1]"));
    assertFalse(ExolveHttpTelephony.isLoopback("0.0.0.0"));
    assertFalse(ExolveHttpTelephony.isLoopback("api.example.test"));
  }
}
