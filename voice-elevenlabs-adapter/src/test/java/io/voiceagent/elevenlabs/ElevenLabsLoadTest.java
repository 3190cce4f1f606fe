package io.voiceagent.elevenlabs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.voiceagent.core.ai.AiCallOptions;
import io.voiceagent.core.ai.AiSession;
import io.voiceagent.core.audio.AudioFormat;
import io.voiceagent.core.audio.AudioPipeline;
import io.voiceagent.core.audio.AudioPipelines;
import io.voiceagent.core.call.CallId;
import io.voiceagent.core.config.Settings;
import io.voiceagent.elevenlabs.FakeElevenLabs.Conn;
import io.voiceagent.elevenlabs.RecordingListener.Ready;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Many sessions at once, a flooding agent, and the threads left behind. */
class ElevenLabsLoadTest {
  private static final Duration LONG = Duration.ofSeconds(60);

  private FakeElevenLabs fake;
  private ElevenLabsPort port;

  @BeforeEach void start() throws Exception {
    fake = new FakeElevenLabs();
  }

  @AfterEach void stop() {
    if (port != null) port.close();
    fake.close();
  }

  /**
   * Threads that are not JVM-wide pools of the libraries: OkHttp's {@code TaskRunner} (its writers and pool
   * cleanup, shared by every client in the JVM, idle threads leave after 60 s), okio's watchdog, and the fake
   * server's own threads.
   */
  static int threadsOutsideSharedPools() {
    int n = 0;
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      String name = t.getName();
      if (!t.isAlive() || name.startsWith("OkHttp TaskRunner") || name.startsWith("Okio Watchdog")
          || name.contains("MockWebServer")) {
        continue;
      }
      n++;
    }
    return n;
  }

  static int adapterThreads() {
    int n = 0;
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.isAlive() && (t.getName().startsWith("elevenlabs-") || t.getName().startsWith("OkHttp http"))) n++;
    }
    return n;
  }

  @Test void given150Calls_whenAllSessionsAreOpenAtOnce_thenEachIsServedAndClosingLeavesNoThreads() throws Exception {
    int calls = 150;
    int baseline = threadsOutsideSharedPools();
    Map<String, String> settings = fake.publicSettings();
    settings.put("MAX_CONCURRENT_CALLS", String.valueOf(calls));
    settings.put("ELEVENLABS_CONNECT_TIMEOUT_S", "60"); // a loaded 2-core machine may take a while for 150 handshakes
    port = new ElevenLabsPort(ElevenLabsConfig.from(Settings.of(settings)), System::nanoTime);

    List<AiSession> sessions = new ArrayList<>();
    List<RecordingListener> listeners = new ArrayList<>();
    for (int i = 0; i < calls; i++) {
      RecordingListener l = new RecordingListener();
      AiSession s = port.prepare(CallId.of("call-" + i));
      s.open(new AiCallOptions(null, Map.of(), "call-" + i), l);
      sessions.add(s);
      listeners.add(l);
    }
    for (RecordingListener l : listeners) l.await(Ready.class, LONG);
    List<Conn> conns = new ArrayList<>();
    for (int i = 0; i < calls; i++) conns.add(fake.agent.await());

    assertEquals(calls, port.openSessions(), "all " + calls + " sessions are open at the same time");
    for (AiSession s : sessions) assertEquals(ElevenLabsSession.State.READY, ((ElevenLabsSession) s).state());
    for (int i = 0; i < calls; i++) conns.get(i).send("{\"type\":\"ping\",\"ping_event\":{\"event_id\":" + i + "}}");
    byte[] audio = new byte[AudioFormat.PCM_16K.bytesFor(20)];
    for (int f = 0; f < 5; f++) {
      for (AiSession s : sessions) s.sendAudio(audio, 0, audio.length);
    }
    for (Conn c : conns) {
      ElevenLabsSessionTest.waitUntil("a pong and two 50 ms chunks on every socket", () -> {
        synchronized (c.allFrames) {
          return c.allFrames.stream().filter(f -> f.contains("\"pong\"")).count() == 1
              && c.allFrames.stream().filter(f -> f.contains("user_audio_chunk")).count() == 2;
        }
      });
    }

    for (AiSession s : sessions) s.close();
    for (Conn c : conns) assertEquals(1000, c.awaitClientClose());
    port.close();
    port = null;

    for (RecordingListener l : listeners) assertEquals(0, l.endedCount.get());
    long deadline = System.nanoTime() + LONG.toNanos();
    while (adapterThreads() > 0 || threadsOutsideSharedPools() > baseline) {
      if (System.nanoTime() > deadline) {
        fail("threads left after close: " + adapterThreads() + " of the adapter, " + threadsOutsideSharedPools()
            + " outside shared pools vs " + baseline + " before");
      }
      java.util.concurrent.locks.LockSupport.parkNanos(10_000_000); // re-check every 10 ms
    }
  }

  @Test void givenAgentFloodingAudioAt10xRealTime_whenNobodyPlaysItOut_thenTheCoreQueueBoundsMemoryAndTheAdapterKeepsNothing()
      throws Exception {
    fake.agent.inputFormat = "pcm_8000";
    fake.agent.outputFormat = "pcm_8000";
    port = new ElevenLabsPort(ElevenLabsConfig.from(Settings.of(fake.publicSettings())), System::nanoTime);
    RecordingListener listener = new RecordingListener();
    listener.countAudioOnly = true;
    AudioPipeline pipeline = AudioPipelines.passThrough().create(AudioFormat.PCM_8K, AudioFormat.PCM_8K);
    listener.audioSink = pipeline::fromAgent;
    AiSession session = port.prepare(CallId.of("call-1"));
    session.open(new AiCallOptions(null, Map.of(), "call-1"), listener);
    Conn conn = fake.agent.await();
    listener.await(Ready.class);

    // 65 s of agent speech (more than the core's 60 s playout queue) sent as 100 ms messages every 10 ms.
    int messages = 650;
    byte[] chunk = ElevenLabsSessionTest.pattern(AudioFormat.PCM_8K.bytesFor(100), 1);
    String message = FakeElevenLabs.audio(chunk, 1);
    AtomicInteger sent = new AtomicInteger();
    AtomicLong sentBytes = new AtomicLong();
    ScheduledExecutorService agentClock = Executors.newSingleThreadScheduledExecutor();
    try {
      ScheduledFuture<?> flood = agentClock.scheduleAtFixedRate(() -> {
        if (sent.get() < messages) {
          conn.send(message);
          sentBytes.addAndGet(chunk.length);
          sent.incrementAndGet();
        }
      }, 0, 10, TimeUnit.MILLISECONDS);
      long deadline = System.nanoTime() + LONG.toNanos();
      while (sent.get() < messages) {
        if (System.nanoTime() > deadline) fail("the flood did not finish: " + sent.get() + " of " + messages);
        assertTrue(pipeline.queuedMillis() <= AudioPipelines.PLAYOUT_CAPACITY_MILLIS, "the core queue is bounded");
        java.util.concurrent.locks.LockSupport.parkNanos(50_000_000); // watch the queue every 50 ms
      }
      flood.cancel(false);
    } finally {
      agentClock.shutdownNow();
    }
    conn.send("{\"type\":\"ping\",\"ping_event\":{\"event_id\":99}}");
    conn.awaitType("pong"); // everything sent before the ping has been handled

    assertEquals(sentBytes.get(), listener.audioBytes.get(),
        "every byte was handed to the core as it came: the adapter buffers nothing");
    assertTrue(pipeline.queuedMillis() <= AudioPipelines.PLAYOUT_CAPACITY_MILLIS, pipeline.queuedMillis() + " ms queued");
    assertTrue(pipeline.droppedFrames() > 0, "the oldest audio beyond 60 s was dropped and counted");
    assertEquals(0, listener.endedCount.get(), "the call survives the flood");
  }
}
