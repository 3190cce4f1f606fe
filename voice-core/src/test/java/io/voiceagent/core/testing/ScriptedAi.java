package io.voiceagent.core.testing;

import io.voiceagent.core.ai.AiCallOptions;
import io.voiceagent.core.ai.AiEnd;
import io.voiceagent.core.ai.AiSession;
import io.voiceagent.core.ai.AiSessionListener;
import io.voiceagent.core.ai.ConversationalAIPort;
import io.voiceagent.core.ai.ToolResult;
import io.voiceagent.core.audio.AudioFormat;
import io.voiceagent.core.call.CallId;
import io.voiceagent.core.call.TranscriptEntry;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-memory {@link ConversationalAIPort} for tests: records what was prepared, opened, sent and closed;
 * the test makes the agent speak, transcribe, end or fail. By default a session becomes ready (pcm_8000
 * both ways) as soon as it is opened.
 */
public final class ScriptedAi implements ConversationalAIPort {
  private final Map<CallId, Session> sessions = new ConcurrentHashMap<>();
  private final List<Session> all = new CopyOnWriteArrayList<>();
  private volatile boolean readyOnOpen = true;
  private volatile RuntimeException failOpen;
  private volatile RuntimeException failClose;

  public ScriptedAi readyOnOpen(boolean r) {
    this.readyOnOpen = r;
    return this;
  }

  public ScriptedAi failOpen(RuntimeException e) {
    this.failOpen = e;
    return this;
  }

  public ScriptedAi failClose(RuntimeException e) {
    this.failClose = e;
    return this;
  }

  @Override public String name() {
    return "scripted";
  }

  @Override public AiSession prepare(CallId callId) {
    Session s = new Session(callId);
    sessions.put(callId, s);
    all.add(s);
    return s;
  }

  /** The latest session prepared for the call, or null. */
  public Session session(CallId id) {
    return sessions.get(id);
  }

  public List<Session> sessions() {
    return List.copyOf(all);
  }

  /** One call's session. */
  public final class Session implements AiSession {
    public final CallId callId;
    private volatile AiSessionListener listener;
    private volatile AiCallOptions options;
    private final AtomicInteger opens = new AtomicInteger();
    private final AtomicInteger closes = new AtomicInteger();
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    public final LinkedBlockingQueue<ToolResult> toolResults = new LinkedBlockingQueue<>();

    Session(CallId id) {
      this.callId = id;
    }

    @Override public void open(AiCallOptions o, AiSessionListener l) {
      opens.incrementAndGet();
      RuntimeException f = failOpen;
      if (f != null) throw f;
      this.options = o;
      this.listener = l;
      if (readyOnOpen) ready(AudioFormat.PCM_8K, AudioFormat.PCM_8K);
    }

    public void ready(AudioFormat in, AudioFormat out) {
      listener.ready("conv_" + callId, in, out);
    }

    @Override public void sendAudio(byte[] data, int offset, int length) {
      synchronized (received) {
        received.write(data, offset, length);
      }
    }

    @Override public void close() {
      closes.incrementAndGet();
      RuntimeException f = failClose;
      if (f != null) throw f;
    }

    /** The agent says {@code pcm} (8 kHz samples) as event {@code eventId}. */
    public void speak(short[] pcm, long eventId) {
      byte[] b = new byte[pcm.length * 2];
      for (int i = 0; i < pcm.length; i++) {
        b[2 * i] = (byte) pcm[i];
        b[2 * i + 1] = (byte) (pcm[i] >> 8);
      }
      listener.agentAudio(b, 0, b.length, eventId);
    }

    public void interrupt(long eventId) {
      listener.interrupted(eventId);
    }

    public void say(TranscriptEntry.Role role, String text) {
      listener.transcript(role, text);
    }

    public void correct(String original, String corrected) {
      listener.transcriptCorrected(original, corrected);
    }

    public void callTool(String name, Map<String, Object> params) {
      listener.toolCall(name, params, toolResults::add);
    }

    public void endByAgent() {
      listener.ended(AiEnd.byAgent("end_call"));
    }

    public void fail(String why) {
      listener.ended(AiEnd.failed(why));
    }

    public boolean isOpen() {
      return listener != null;
    }

    public AiCallOptions options() {
      return options;
    }

    public int opens() {
      return opens.get();
    }

    public int closes() {
      return closes.get();
    }

    /** Callee audio received so far, as 8 kHz samples (pcm_8000 input). */
    public short[] receivedSamples() {
      byte[] b;
      synchronized (received) {
        b = received.toByteArray();
      }
      short[] s = new short[b.length / 2];
      for (int i = 0; i < s.length; i++) s[i] = (short) ((b[2 * i] & 0xFF) | (b[2 * i + 1] << 8));
      return s;
    }

    public ToolResult awaitToolResult() throws InterruptedException {
      ToolResult r = toolResults.poll(ScriptedTelephony.WAIT.toMillis(), TimeUnit.MILLISECONDS);
      if (r == null) throw new AssertionError("no tool result within " + ScriptedTelephony.WAIT);
      return r;
    }
  }
}
