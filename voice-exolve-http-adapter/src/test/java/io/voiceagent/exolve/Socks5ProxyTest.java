package io.voiceagent.exolve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.voiceagent.core.call.CallId;
import io.voiceagent.core.call.PhoneNumber;
import io.voiceagent.core.config.Settings;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** SOCKS5_PROXY: Exolve's API reached through a real SOCKS5 proxy that also resolves the host name. */
class Socks5ProxyTest {
  private final FakeExolve exolve = new FakeExolve();
  private ExolveApi api;

  @AfterEach void tearDown() {
    if (api != null) api.close();
    exolve.close();
  }

  private Object placeThrough(String proxyUrl) throws InterruptedException {
    Map<String, String> s = new HashMap<>();
    s.put("EXOLVE_API_KEY", "k-123456");
    s.put("EXOLVE_API_URL", "http://exolve-api.invalid:" + exolve.server.getPort());
    s.put("EXOLVE_SOURCE_NUMBER", "79990000001");
    s.put("EXOLVE_NUMBER_CODE", "79990000001");
    s.put("EXOLVE_CALLBACK_RESOURCE_ID", "1657");
    s.put("EXOLVE_SIP_USER", "883140000000000");
    s.put("EXOLVE_SIP_PASS", "s3cret");
    s.put("SOCKS5_PROXY", proxyUrl);
    api = new ExolveApi(ExolveHttpConfig.fromSettings(Settings.of(s)), new ObjectMapper());
    BlockingQueue<Object> out = new LinkedBlockingQueue<>();
    api.place(CallId.random(), new PhoneNumber("79161234567"), Duration.ofSeconds(30), new ExolveApi.PlaceCallback() {
      @Override public void placed(String externalId) {
        out.add(externalId);
      }

      @Override public void failed(ExolveApi.Failure failure) {
        out.add(failure);
      }
    });
    return out.poll(30, TimeUnit.SECONDS);
  }

  @Test void givenASocks5ProxyWithLogin_whenPlacing_thenTheRequestGoesThroughItByName() throws Exception {
    try (Socks5TestProxy proxy = new Socks5TestProxy("alice", "pa:ss")) {
      Object r = placeThrough("socks5://alice:pa%3Ass@127.0.0.1:" + proxy.port());

      assertEquals("5550000001", r);
      assertEquals(List.of("alice"), proxy.logins);
      assertEquals(List.of("exolve-api.invalid:" + exolve.server.getPort()), proxy.connects,
          "the proxy, not we, resolved the API's name");
      assertEquals("exolve-api.invalid:" + exolve.server.getPort(),
          exolve.take("MakeCallback", Duration.ofSeconds(30)).getHeaders().get("Host"));
    }
  }

  @Test void givenAWrongProxyPassword_whenPlacing_thenTheCallFailsNamingTheProxyNotThePassword() throws Exception {
    try (Socks5TestProxy proxy = new Socks5TestProxy("alice", "right")) {
      // a password that is no English word, so its absence from the message means something
      Object r = placeThrough("socks5://alice:x7Qz9Pw@127.0.0.1:" + proxy.port());

      ExolveApi.Failure f = assertInstanceOf(ExolveApi.Failure.class, r);
      assertTrue(f.message().contains("SOCKS5 proxy 127.0.0.1:" + proxy.port()) && f.message().contains("refused user"),
          f.message());
      assertFalse(f.message().contains("x7Qz9Pw"), "no password in the message: " + f.message());
      assertFalse(f.mayHaveRung(), "nothing reached Exolve");
      assertEquals(0, exolve.server.getRequestCount());
    }
  }
}
