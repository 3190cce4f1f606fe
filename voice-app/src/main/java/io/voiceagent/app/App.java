package io.voiceagent.app;

import io.voiceagent.core.VoiceAgent;
import io.voiceagent.core.config.Settings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The running service: the voice agent and its REST API, with a graceful shutdown. */
final class App {
  private static final Logger log = LoggerFactory.getLogger(App.class);

  private final VoiceAgent agent;
  private final ApiServer api;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final AtomicBoolean stopping = new AtomicBoolean();

  private App(VoiceAgent agent, ApiServer api) {
    this.agent = agent;
    this.api = api;
  }

  static App start(Settings settings) {
    return start(settings, Assembly.agent(settings));
  }

  /** Starts with an agent builder the caller prepared (tests give it scripted providers). */
  static App start(Settings settings, VoiceAgent.Builder builder) {
    VoiceAgent agent = builder.build();
    try {
      String host = settings.string("APP_HOST", "127.0.0.1");
      int port = settings.integer("APP_PORT", 8000, 0, 65535);
      ApiServer api = new ApiServer(agent, settings.secret("APP_API_TOKEN").orElse(null),
          new InetSocketAddress(host, port));
      api.start();
      if ("sandbox".equals(agent.telephonyProviderName()) || "sandbox".equals(agent.aiProviderName())) {
        log.warn("SANDBOX MODE: telephony {}, AI {} — calls stay on this machine, nothing is billed",
            agent.telephonyProviderName(), agent.aiProviderName());
      }
      log.info("voice-agent ready: telephony {}, AI {}, API http://{}:{}", agent.telephonyProviderName(),
          agent.aiProviderName(), host, api.port());
      return new App(agent, api);
    } catch (IOException e) {
      agent.close();
      throw new UncheckedIOException("cannot listen on APP_HOST:APP_PORT: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      agent.close();
      throw e;
    }
  }

  int port() {
    return api.port();
  }

  VoiceAgent agent() {
    return agent;
  }

  /**
   * Stops within a few seconds: new requests get 503, active calls are hung up (BYE), AI sessions closed,
   * the SIP account un-registered, then the HTTP server stops.
   */
  /** New requests get 503 from now on (the first step of {@link #shutdown}). */
  void refuseNewRequests() {
    api.beginShutdown();
  }

  void shutdown() {
    if (!stopping.compareAndSet(false, true)) return;
    log.info("shutting down: {} active call(s)", agent.calls().activeCalls());
    api.beginShutdown();
    try {
      agent.close();
    } catch (RuntimeException e) {
      log.error("shutdown of the voice agent failed", e);
    } finally {
      api.close();
      stopped.countDown();
      log.info("stopped");
    }
  }

  void awaitShutdown() {
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
