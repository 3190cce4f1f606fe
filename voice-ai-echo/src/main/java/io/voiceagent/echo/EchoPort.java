package io.voiceagent.echo;

import io.voiceagent.core.ai.AiCallOptions;
import io.voiceagent.core.ai.AiSession;
import io.voiceagent.core.ai.AiSessionListener;
import io.voiceagent.core.ai.ConversationalAIPort;
import io.voiceagent.core.audio.AudioFormat;
import io.voiceagent.core.call.CallId;
import io.voiceagent.core.call.TranscriptEntry;
import io.voiceagent.core.vad.TurnDetector;
import io.voiceagent.core.vad.VadConfig;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One worker thread for every session (no thread per call). A session speaks {@code pcm_8000} both ways.
 *
 * <p>Threading, as the SPI asks: {@code sendAudio} runs on the media pacer thread, so it only copies audio
 * and runs the turn detector; everything that calls the listener runs on the worker, one task at a time.
 */
final class EchoPort implements ConversationalAIPort {
  private static final Logger log = LoggerFactory.getLogger(EchoPort.class);

  private final int maxTurnMillis;
  private final ThreadPoolExecutor worker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
      new ArrayBlockingQueue<>(4096), r -> {
        Thread t = new Thread(r, "echo-ai");
        t.setDaemon(true);
        return t;
      }, new ThreadPoolExecutor.DiscardOldestPolicy());

  EchoPort(int maxTurnMillis) {
    this.maxTurnMillis = maxTurnMillis;
  }

  @Override public String name() {
    return "echo";
  }

  @Override public AiSession prepare(CallId callId) {
    return new Session(callId);
  }

  @Override public void close() {
    worker.shutdownNow();
  }

  private static final int FRAME_BYTES = 320;      // 20 ms of pcm_8000
  private static final int PRE_ROLL_BYTES = 5 * FRAME_BYTES;

  private final class Session implements AiSession {
    private final CallId callId;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final TurnDetector turns = new TurnDetector(VadConfig.DEFAULT.withTiming(40, 600), 200); // pacer only
    private final short[] frame = new short[160];   // pacer thread only
    private byte[] turn = new byte[8000];            // pacer thread only: the callee's current turn, pcm_8000
    private int turnBytes;                           // pacer thread only
    private int turnCount;                           // pacer thread only
    private volatile AiSessionListener listener;

    Session(CallId callId) {
      this.callId = callId;
    }

    @Override public void open(AiCallOptions options, AiSessionListener l) {
      listener = l;
      worker.execute(() -> {
        if (closed.get()) return;
        l.ready("echo-" + callId, AudioFormat.PCM_8K, AudioFormat.PCM_8K);
        if (options.firstMessage() != null) l.transcript(TranscriptEntry.Role.AGENT, options.firstMessage());
      });
    }

    @Override public void sendAudio(byte[] data, int offset, int length) {
      if (closed.get() || listener == null) return;
      for (int i = 0; i + FRAME_BYTES <= length; i += FRAME_BYTES) {
        for (int s = 0; s < 160; s++) {
          frame[s] = (short) ((data[offset + i + 2 * s] & 0xFF) | (data[offset + i + 2 * s + 1] << 8));
        }
        keep(data, offset + i);
        if (turns.process(frame, 0)) {
          playBack(turns.lastTurnMillis());
        } else if (!turns.isSpeaking() && turnBytes > PRE_ROLL_BYTES) {
          // between turns keep only a short pre-roll, so the first syllable (before the VAD's onset) is echoed too
          System.arraycopy(turn, turnBytes - PRE_ROLL_BYTES, turn, 0, PRE_ROLL_BYTES);
          turnBytes = PRE_ROLL_BYTES;
        }
      }
    }

    private void keep(byte[] data, int offset) {
      int cap = maxTurnMillis * 16; // 16 bytes per millisecond at pcm_8000
      if (turnBytes + FRAME_BYTES > cap) return; // a very long turn: echo its first maxTurnMillis
      if (turnBytes + FRAME_BYTES > turn.length) turn = Arrays.copyOf(turn, Math.min(cap, turn.length * 2));
      System.arraycopy(data, offset, turn, turnBytes, FRAME_BYTES);
      turnBytes += FRAME_BYTES;
    }

    /** The turn just ended: hand a copy to the worker to speak back. */
    private void playBack(int speechMillis) {
      byte[] copy = Arrays.copyOf(turn, turnBytes);
      int n = ++turnCount;
      turnBytes = 0;
      worker.execute(() -> {
        AiSessionListener l = listener;
        if (l == null || closed.get()) return;
        log.debug("call {}: echoing turn {} ({} ms)", callId, n, speechMillis);
        l.transcript(TranscriptEntry.Role.USER, "(turn " + n + ", " + speechMillis + " ms of speech)");
        l.transcript(TranscriptEntry.Role.AGENT, "(echo of turn " + n + ")");
        l.agentAudio(copy, 0, copy.length, n);
      });
    }

    @Override public void close() {
      closed.set(true);
    }
  }
}
