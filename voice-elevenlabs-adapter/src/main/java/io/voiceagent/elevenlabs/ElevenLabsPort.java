package io.voiceagent.elevenlabs;

import io.voiceagent.core.net.Socks5SocketFactory;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.voiceagent.core.ai.AiSession;
import io.voiceagent.core.ai.ConversationalAIPort;
import io.voiceagent.core.call.CallId;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ElevenLabs port: shared by every call of the process.
 *
 * <p>Threads it owns: OkHttp's dispatcher pool ({@code elevenlabs-ws-N}; OkHttp keeps one of these per open
 * WebSocket as its reader, renaming it while it reads) and one {@code elevenlabs-timer} (connect timeouts and
 * upstream drains for all calls). OkHttp's writers run on its JVM-wide {@code OkHttp TaskRunner} pool, which idles
 * out by itself. {@link #close} closes the open sessions, then stops both pools.
 *
 * <p>OkHttp's dispatcher admits 64 calls at once by default, and every open WebSocket holds one of them for its
 * whole life (its reader runs inside the call), so the 65th conversation would wait until another ended. The
 * per-host limit (5 by default) does not count WebSockets in OkHttp 5, but it does count the signed-URL requests,
 * which all go to the same API host while phones ring. Both limits are raised to twice
 * {@code MAX_CONCURRENT_CALLS}: every call's socket plus a signed-URL request for each call being prepared.
 */
final class ElevenLabsPort implements ConversationalAIPort {
  private static final Logger log = LoggerFactory.getLogger(ElevenLabsPort.class);
  /** Unknown message types are logged once each, up to this many distinct ones. */
  private static final int MAX_UNKNOWN_TYPES = 100;

  private final ElevenLabsConfig config;
  private final LongSupplier nanoClock;
  private final ObjectMapper mapper = new ObjectMapper();
  private final ClientMessages messages = new ClientMessages(mapper);
  private final ThreadPoolExecutor dispatcherPool;
  private final ScheduledThreadPoolExecutor timer;
  private final OkHttpClient client;
  private final SignedUrlFetcher signedUrls;     // null without an API key
  private final Set<ElevenLabsSession> sessions = ConcurrentHashMap.newKeySet();
  private final Set<String> unknownTypes = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean closed = new AtomicBoolean();

  ElevenLabsPort(ElevenLabsConfig config, LongSupplier nanoClock) {
    this.config = Objects.requireNonNull(config, "config");
    this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
    this.dispatcherPool = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(),
        named("elevenlabs-ws-"));
    this.timer = new ScheduledThreadPoolExecutor(1, named("elevenlabs-timer"));
    timer.setRemoveOnCancelPolicy(true);
    int limit = Math.max(64, 2 * config.maxConcurrentCalls());
    Dispatcher dispatcher = new Dispatcher(dispatcherPool);
    dispatcher.setMaxRequests(limit);
    dispatcher.setMaxRequestsPerHost(limit);
    OkHttpClient.Builder b = new OkHttpClient.Builder()
        .dispatcher(dispatcher)
        .connectionPool(new ConnectionPool(5, 1, TimeUnit.MINUTES))
        .connectTimeout(config.connectTimeout())
        .pingInterval(config.pingInterval())
        .webSocketCloseTimeout(config.connectTimeout());
    if (config.proxy() != null) {
      b.proxy(java.net.Proxy.NO_PROXY)
          .socketFactory(new Socks5SocketFactory(config.proxy()))
          .dns(hostname -> java.util.List.of(Socks5SocketFactory.unresolved(hostname)));
    }
    this.client = b.build();
    this.signedUrls = config.apiKey() == null
        ? null
        : new SignedUrlFetcher(client, mapper, config.signedUrlEndpoint(), config.apiKey(),
            Math.max(10_000, config.connectTimeout().toMillis()), nanoClock);
    log.info("ElevenLabs provider ready: {} (dispatcher limit {} per host)", config, limit);
  }

  @Override public String name() {
    return ElevenLabsProvider.NAME;
  }

  @Override public AiSession prepare(CallId callId) {
    if (closed.get()) throw new IllegalStateException("the ElevenLabs port is closed");
    ElevenLabsSession session = new ElevenLabsSession(this, callId);
    sessions.add(session);
    if (signedUrls != null) session.startFetch();
    return session;
  }

  /** Closes every session (normal close 1000), then the threads; waits for the sockets' closing handshakes. */
  @Override public void close() {
    if (!closed.compareAndSet(false, true)) return;
    List<ElevenLabsSession> open = List.copyOf(sessions);
    for (ElevenLabsSession s : open) {
      try {
        s.close();
      } catch (RuntimeException e) {
        log.warn("closing {} failed", s, e);
      }
    }
    timer.shutdownNow();
    dispatcherPool.shutdown(); // readers finish as their sockets close
    try {
      long waitMillis = config.connectTimeout().toMillis() + 2_000;
      if (!dispatcherPool.awaitTermination(waitMillis, TimeUnit.MILLISECONDS)) {
        log.warn("ElevenLabs sockets still open {} ms after close; cancelling them", waitMillis);
        client.dispatcher().cancelAll();
        dispatcherPool.shutdownNow();
      }
    } catch (InterruptedException e) {
      client.dispatcher().cancelAll();
      dispatcherPool.shutdownNow();
      Thread.currentThread().interrupt();
    }
    client.connectionPool().evictAll();
    log.info("ElevenLabs provider closed ({} sessions were open)", open.size());
  }

  // ------------------------------------------------------------------ for the sessions

  ElevenLabsConfig config() {
    return config;
  }

  ObjectMapper mapper() {
    return mapper;
  }

  ClientMessages messages() {
    return messages;
  }

  OkHttpClient client() {
    return client;
  }

  SignedUrlFetcher signedUrls() {
    return signedUrls;
  }

  ScheduledExecutorService timer() {
    return timer;
  }

  long nanoTime() {
    return nanoClock.getAsLong();
  }

  void forget(ElevenLabsSession session) {
    sessions.remove(session);
  }

  /** Logs a message type we do not know, once per type: the protocol grows, and a log per message would flood. */
  void unknownType(String type) {
    if (unknownTypes.size() < MAX_UNKNOWN_TYPES && unknownTypes.add(type)) {
      log.info("ignoring ElevenLabs message type '{}' (unknown to this adapter; logged once)", type);
    }
  }

  int openSessions() {
    return sessions.size();
  }

  ExecutorService dispatcherPool() {
    return dispatcherPool;
  }

  @Override public String toString() {
    return "ElevenLabsPort[" + (closed.get() ? "closed" : "open") + ", " + sessions.size() + " sessions, agent "
        + config.agentId() + "]";
  }

  private static ThreadFactory named(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix.endsWith("-") ? prefix + n.incrementAndGet() : prefix);
      t.setDaemon(true);
      return t;
    };
  }
}
