package io.voiceagent.elevenlabs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voiceagent.core.ai.AiCallOptions;
import io.voiceagent.core.ai.AiEnd;
import io.voiceagent.core.ai.AiSession;
import io.voiceagent.core.call.CallId;
import io.voiceagent.core.config.Settings;
import io.voiceagent.elevenlabs.FakeElevenLabs.Conn;
import io.voiceagent.elevenlabs.RecordingListener.Ended;
import io.voiceagent.elevenlabs.RecordingListener.Ready;
import io.voiceagent.elevenlabs.Socks5TestProxy.Connect;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** SOCKS5_PROXY through a real SOCKS5 proxy on loopback: the signed-URL request and the WebSocket both. */
class Socks5ProxyTest {
  private FakeElevenLabs fake;
  private Socks5TestProxy proxy;
  private ElevenLabsPort port;
  private final RecordingListener listener = new RecordingListener();

  @BeforeEach void start() throws Exception {
    fake = new FakeElevenLabs();
  }

  @AfterEach void stop() throws Exception {
    if (port != null) port.close();
    if (proxy != null) proxy.close();
    fake.close();
  }

  private ElevenLabsPort port(Map<String, String> settings) {
    port = new ElevenLabsPort(ElevenLabsConfig.from(Settings.of(settings)), System::nanoTime);
    return port;
  }

  @Test void givenProxyWithLogin_whenSessionOpens_thenSignedUrlRequestAndWebSocketBothGoThroughIt() throws Exception {
    proxy = new Socks5TestProxy("caller", "p@ss:word");
    // The REST call goes to "localhost" (a name: the proxy resolves it), the signed URL to 127.0.0.1 (an IP).
    fake.signedUrlHost = "127.0.0.1";
    Map<String, String> settings = fake.keyedSettings();
    settings.put("ELEVENLABS_API_URL", "http://localhost:" + fake.server.getPort());
    settings.put("SOCKS5_PROXY", "socks5://caller:p%40ss%3Aword@127.0.0.1:" + proxy.port());

    AiSession session = port(settings).prepare(CallId.of("call-1"));
    session.open(new AiCallOptions(null, Map.of(), "call-1"), listener);
    Conn conn = fake.agent.await();
    listener.await(Ready.class);
    conn.send("{\"type\":\"ping\",\"ping_event\":{\"event_id\":1}}");
    assertEquals(1, conn.awaitType("pong").get("event_id").asLong());

    Set<Connect> connects = new HashSet<>(proxy.connects);
    assertTrue(connects.contains(new Connect(3, "localhost", fake.server.getPort())),
        "the signed-URL request went through the proxy, by name: " + proxy.connects);
    assertTrue(connects.contains(new Connect(1, "127.0.0.1", fake.server.getPort())),
        "the WebSocket went through the proxy: " + proxy.connects);
    assertEquals(2, proxy.loginsAccepted.get());
    assertEquals(FakeElevenLabs.API_KEY, fake.signedUrlRequests.take().getHeaders().get("xi-api-key"));
    session.close();
    assertEquals(1000, conn.awaitClientClose());
  }

  @Test void givenProxyWithoutLogin_whenPublicAgentOpens_thenTheSocketGoesThroughIt() throws Exception {
    proxy = new Socks5TestProxy(null, null);
    Map<String, String> settings = fake.publicSettings();
    settings.put("SOCKS5_PROXY", "socks5://127.0.0.1:" + proxy.port());

    port(settings).prepare(CallId.of("call-1")).open(new AiCallOptions(null, Map.of(), "call-1"), listener);

    listener.await(Ready.class);
    assertEquals(List.of(new Connect(3, fake.server.getHostName(), fake.server.getPort())), proxy.connects);
  }

  @Test void givenWrongProxyPassword_whenOpened_thenCallFailsSayingTheProxyRefusedWithoutThePassword() throws Exception {
    proxy = new Socks5TestProxy("caller", "right-password");
    Map<String, String> settings = fake.publicSettings();
    settings.put("SOCKS5_PROXY", "socks5://caller:wrong-password@127.0.0.1:" + proxy.port());

    port(settings).prepare(CallId.of("call-1")).open(new AiCallOptions(null, Map.of(), "call-1"), listener);

    AiEnd end = listener.await(Ended.class).end();
    assertFalse(end.byAgent());
    assertTrue(end.message().contains("SOCKS5 proxy") && end.message().contains("refused user 'caller'"), end.message());
    assertFalse(end.message().contains("wrong-password"), end.message());
    assertTrue(proxy.loginsRefused.get() >= 1);
    assertEquals(0, fake.upgradeRequests.size(), "nothing reached ElevenLabs");
  }

  @Test void givenProxyThatNeedsLogin_whenNoneConfigured_thenCallFailsSayingSo() throws Exception {
    proxy = new Socks5TestProxy("caller", "secret");
    Map<String, String> settings = fake.keyedSettings();
    settings.put("SOCKS5_PROXY", "socks5://127.0.0.1:" + proxy.port());

    port(settings).prepare(CallId.of("call-1")).open(new AiCallOptions(null, Map.of(), "call-1"), listener);

    AiEnd end = listener.await(Ended.class).end();
    assertTrue(end.message().contains("signed URL") && end.message().contains("SOCKS5_PROXY"), end.message());
  }
}
