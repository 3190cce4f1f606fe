package io.voiceagent.elevenlabs;

import io.voiceagent.core.net.Socks5Proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voiceagent.core.ai.ConversationalAIPort;
import io.voiceagent.core.config.ConfigException;
import io.voiceagent.core.config.Settings;
import io.voiceagent.core.spi.ConversationalAIProvider;
import io.voiceagent.core.spi.Providers;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ElevenLabsConfigTest {
  private static Map<String, String> minimal() {
    Map<String, String> m = new HashMap<>();
    m.put("ELEVENLABS_AGENT_ID", "agent_01jxyz");
    return m;
  }

  private static ConfigException badSetting(String name, String value) {
    Map<String, String> m = minimal();
    m.put(name, value);
    return assertThrows(ConfigException.class, () -> ElevenLabsConfig.from(Settings.of(m)), name + "=" + value);
  }

  @Test void givenClassPath_whenProvidersAreLoaded_thenElevenLabsIsFoundByName() {
    List<ConversationalAIProvider> found = Providers.load(ConversationalAIProvider.class, getClass().getClassLoader());

    ConversationalAIProvider p = Providers.chooseAi(found, "elevenlabs", Settings.empty());
    assertInstanceOf(ElevenLabsProvider.class, p);
    assertEquals("elevenlabs", p.name());
  }

  @Test void givenSettings_whenAskedIfConfigured_thenOnlyTheAgentIdCounts() {
    ElevenLabsProvider p = new ElevenLabsProvider();
    assertTrue(p.isConfiguredBy(Settings.of(minimal())));
    assertFalse(p.isConfiguredBy(Settings.of(Map.of("ELEVENLABS_API_KEY", "sk_x"))), "a key alone is not enough");
    assertFalse(p.isConfiguredBy(Settings.empty()));
  }

  @Test void givenOnlyTheAgentId_whenRead_thenDefaultsApply() {
    ElevenLabsConfig c = ElevenLabsConfig.from(Settings.of(minimal()));

    assertNull(c.apiKey());
    assertEquals("https://api.elevenlabs.io/v1/convai/conversation?agent_id=agent_01jxyz", c.publicConversationUrl().toString());
    assertEquals("https://api.elevenlabs.io/v1/convai/conversation/get-signed-url?agent_id=agent_01jxyz",
        c.signedUrlEndpoint().toString());
    assertEquals(Duration.ofSeconds(5), c.connectTimeout());
    assertEquals(50, c.chunkMillis());
    assertEquals(1000, c.backlogMillis());
    assertEquals(Duration.ofSeconds(15), c.pingInterval());
    assertEquals(100, c.maxConcurrentCalls());
    assertNull(c.firstMessage());
    assertNull(c.language());
    assertNull(c.proxy());
  }

  @Test void givenNoAgentId_whenCreated_thenConfigExceptionNamesIt() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> new ElevenLabsProvider().create(Settings.of(Map.of("ELEVENLABS_API_KEY", "sk_abc"))));
    assertEquals("ELEVENLABS_AGENT_ID", e.variable());
  }

  @Test void givenMalformedValues_whenRead_thenEachConfigExceptionNamesItsVariable() {
    assertEquals("ELEVENLABS_AGENT_ID", badSetting("ELEVENLABS_AGENT_ID", "my agent/1").variable());
    assertEquals("ELEVENLABS_CHUNK_MS", badSetting("ELEVENLABS_CHUNK_MS", "fifty").variable());
    assertEquals("ELEVENLABS_CHUNK_MS", badSetting("ELEVENLABS_CHUNK_MS", "5").variable());
    assertEquals("ELEVENLABS_CONNECT_TIMEOUT_S", badSetting("ELEVENLABS_CONNECT_TIMEOUT_S", "0").variable());
    assertEquals("ELEVENLABS_WS_URL", badSetting("ELEVENLABS_WS_URL", "ftp://example.com/x").variable());
    assertEquals("ELEVENLABS_API_URL", badSetting("ELEVENLABS_API_URL", "wss://api.elevenlabs.io").variable());
    assertEquals("ELEVENLABS_LANGUAGE", badSetting("ELEVENLABS_LANGUAGE", "Russian language").variable());
    assertEquals("ELEVENLABS_UPSTREAM_BACKLOG_MS", badSetting("ELEVENLABS_UPSTREAM_BACKLOG_MS", "99999").variable());
    assertEquals("ELEVENLABS_WS_PING_S", badSetting("ELEVENLABS_WS_PING_S", "-1").variable());
    assertEquals("MAX_CONCURRENT_CALLS", badSetting("MAX_CONCURRENT_CALLS", "many").variable());
    assertEquals("SOCKS5_PROXY", badSetting("SOCKS5_PROXY", "socks5://proxy.example").variable());
  }

  @Test void givenKeyWithASpace_whenRead_thenRefusedWithoutEchoingIt() {
    ConfigException e = badSetting("ELEVENLABS_API_KEY", "sk_secret part2");
    assertEquals("ELEVENLABS_API_KEY", e.variable());
    assertFalse(e.getMessage().contains("sk_secret"), e.getMessage());
    assertTrue(e.getMessage().contains("position 10"), e.getMessage());
  }

  @Test void givenProxyWithPassword_whenMalformed_thenTheMessageNeverShowsThePassword() {
    ConfigException e = badSetting("SOCKS5_PROXY", "http://user:hunter2secret@proxy:1080");
    assertEquals("SOCKS5_PROXY", e.variable());
    assertFalse(e.getMessage().contains("hunter2secret"), e.getMessage());
    assertTrue(e.getMessage().contains("socks5://[user:pass@]host:port"), e.getMessage());
  }

  @Test void givenProxyUrl_whenParsed_thenLoginIsDecodedAndMaskedInToString() {
    Socks5Proxy p = Socks5Proxy.parse("socks5://us%40er:p%3Ass@10.0.0.1:1080");
    assertEquals("10.0.0.1", p.host());
    assertEquals(1080, p.port());
    assertEquals("us@er", p.username());
    assertEquals("p:ss", p.password().reveal());
    assertEquals("socks5://us@er:****@10.0.0.1:1080", p.toString());

    Socks5Proxy open = Socks5Proxy.parse("socks5h://proxy.local:9050");
    assertFalse(open.hasLogin());
    assertEquals("proxy.local", open.host());
  }

  @Test void givenEverySetting_whenRead_thenAllAreTakenAndSecretsMaskedInToString() {
    Map<String, String> m = minimal();
    m.put("ELEVENLABS_API_KEY", "sk_live_123456");
    m.put("ELEVENLABS_WS_URL", "wss://api.eu.residency.elevenlabs.io/v1/convai/conversation");
    m.put("ELEVENLABS_API_URL", "https://api.eu.residency.elevenlabs.io/");
    m.put("ELEVENLABS_FIRST_MESSAGE", "Здравствуйте!");
    m.put("ELEVENLABS_LANGUAGE", "RU");
    m.put("ELEVENLABS_CONNECT_TIMEOUT_S", "8");
    m.put("ELEVENLABS_CHUNK_MS", "100");
    m.put("ELEVENLABS_UPSTREAM_BACKLOG_MS", "2000");
    m.put("ELEVENLABS_WS_PING_S", "0");
    m.put("MAX_CONCURRENT_CALLS", "150");
    m.put("SOCKS5_PROXY", "socks5://u:topsecret@127.0.0.1:1080");

    ElevenLabsConfig c = ElevenLabsConfig.from(Settings.of(m));

    assertEquals("sk_live_123456", c.apiKey().reveal());
    assertEquals("https://api.eu.residency.elevenlabs.io/v1/convai/conversation/get-signed-url?agent_id=agent_01jxyz",
        c.signedUrlEndpoint().toString());
    assertEquals("ru", c.language());
    assertEquals("Здравствуйте!", c.firstMessage());
    assertEquals(Duration.ofSeconds(8), c.connectTimeout());
    assertEquals(100, c.chunkMillis());
    assertEquals(2000, c.backlogMillis());
    assertEquals(Duration.ZERO, c.pingInterval());
    assertEquals(150, c.maxConcurrentCalls());
    assertFalse(c.toString().contains("sk_live_123456"), c.toString());
    assertFalse(c.toString().contains("topsecret"), c.toString());
  }

  @Test void givenCallCap_whenPortIsCreated_thenOkHttpDispatcherAdmitsTwiceAsManyPerHost() {
    Map<String, String> m = minimal();
    m.put("MAX_CONCURRENT_CALLS", "150");
    ConversationalAIPort port = new ElevenLabsProvider().create(Settings.of(m));
    try {
      assertEquals("elevenlabs", port.name());
      okhttp3.Dispatcher d = ((ElevenLabsPort) port).client().dispatcher();
      assertEquals(300, d.getMaxRequestsPerHost(), "one socket plus one signed-URL request per call");
      assertEquals(300, d.getMaxRequests());
    } finally {
      port.close();
    }
  }
}
