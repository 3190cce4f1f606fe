package io.voiceagent.app.sandbox;

import io.voiceagent.core.ai.AiCallOptions;
import io.voiceagent.core.ai.AiSession;
import io.voiceagent.core.ai.AiSessionListener;
import io.voiceagent.core.ai.ConversationalAIPort;
import io.voiceagent.core.audio.AudioFormat;
import io.voiceagent.core.call.CallId;
import io.voiceagent.core.call.TranscriptEntry;
import io.voiceagent.core.config.Settings;
import io.voiceagent.core.spi.ConversationalAIProvider;
import io.voiceagent.core.vad.TurnDetector;
import io.voiceagent.core.vad.VadConfig;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The offline AI: it greets with a recorded clip and answers each callee turn it hears with another, writing
 * transcript entries as a real agent would. Chosen when no other AI provider is configured. One worker
 * thread serves every session.
 */
public final class SandboxAiProvider implements ConversationalAIProvider {
  static final String GREETING_TEXT = "Здравствуйте! Это демонстрация голосового агента. Как у вас дела?";
  static final String REPLY_TEXT = "Понимаю. Спасибо, что ответили.";

  @Override public String name() {
    return "sandbox";
  }

  @Override public boolean isConfiguredBy(Settings settings) {
    return false; // never "configured": chosen only as the fallback or by AI_PROVIDER=sandbox
  }

  @Override public ConversationalAIPort create(Settings settings) {
    return new Port();
  }

  private static final class Port implements ConversationalAIPort {
    private static final Logger log = LoggerFactory.getLogger(SandboxAiProvider.class);
    private final ThreadPoolExecutor worker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(10_000), r -> {
          Thread t = new Thread(r, "sandbox-ai");
          t.setDaemon(true);
          return t;
        }, new ThreadPoolExecutor.DiscardOldestPolicy());

    @Override public String name() {
      return "sandbox";
    }

    @Override public AiSession prepare(CallId callId) {
      return new Session(callId, worker);
    }

    @Override public void close() {
      worker.shutdownNow();
    }

    private static final class Session implements AiSession {
      private final CallId callId;
      private final ExecutorService worker;
      private final AtomicBoolean closed = new AtomicBoolean();
      private final AtomicLong eventIds = new AtomicLong();
      // callee audio arrives as pcm_16000: 320 samples per 20 ms
      private final TurnDetector turns = new TurnDetector(VadConfig.defaults(16000, 20).withTiming(40, 700), 200);
      private final short[] frame = new short[320];                  // pacer thread only
      private volatile AiSessionListener listener;

      Session(CallId callId, ExecutorService worker) {
        this.callId = callId;
        this.worker = worker;
      }

      @Override public void open(AiCallOptions options, AiSessionListener l) {
        this.listener = l;
        String first = options.firstMessage() != null ? options.firstMessage() : GREETING_TEXT;
        worker.execute(() -> {
          if (closed.get()) return;
          log.info("call {}: sandbox agent connected", callId);
          // as an ElevenLabs agent set up for phones: callee audio as pcm_16000, agent audio as ulaw_8000
          l.ready("sandbox-" + callId, AudioFormat.PCM_16K, AudioFormat.ULAW_8K);
          speak(Clips.AGENT_GREETING, first);
        });
      }

      private void speak(byte[] clip, String text) {
        AiSessionListener l = listener;
        if (l == null || closed.get()) return;
        long id = eventIds.incrementAndGet();
        l.transcript(TranscriptEntry.Role.AGENT, text);
        l.agentAudio(clip, 0, clip.length, id);
      }

      /** Callee audio, pcm_16000, from the pacer thread: cheap work only; replies go to the worker. */
      @Override public void sendAudio(byte[] data, int offset, int length) {
        if (closed.get() || listener == null) return;
        for (int i = 0; i + 640 <= length; i += 640) {
          for (int s = 0; s < 320; s++) {
            frame[s] = (short) ((data[offset + i + 2 * s] & 0xFF) | (data[offset + i + 2 * s + 1] << 8));
          }
          if (turns.process(frame, 0)) {
            int ms = turns.lastTurnMillis();
            worker.execute(() -> {
              AiSessionListener l = listener;
              if (l == null || closed.get()) return;
              l.transcript(TranscriptEntry.Role.USER, "(" + ms + " ms of speech)");
              speak(Clips.AGENT_REPLY, REPLY_TEXT);
            });
          }
        }
      }

      @Override public void close() {
        closed.set(true);
      }
    }
  }
}
