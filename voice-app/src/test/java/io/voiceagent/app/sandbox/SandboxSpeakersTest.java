package io.voiceagent.app.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voiceagent.core.ai.AiCallOptions;
import io.voiceagent.core.ai.AiEnd;
import io.voiceagent.core.ai.AiSession;
import io.voiceagent.core.ai.AiSessionListener;
import io.voiceagent.core.ai.ConversationalAIPort;
import io.voiceagent.core.audio.AudioFormat;
import io.voiceagent.core.call.CallId;
import io.voiceagent.core.call.TranscriptEntry;
import io.voiceagent.core.config.Settings;
import io.voiceagent.core.testing.Await;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class SandboxSpeakersTest {
  /** Syllable-like speech: a tone with a 4 Hz envelope, as little-endian PCM at {@code rate}. */
  private static byte[] speech(int millis, int rate) {
    int n = rate * millis / 1000;
    byte[] b = new byte[n * 2];
    for (int i = 0; i < n; i++) {
      double t = (double) i / rate;
      short v = (short) (6000 * (0.55 + 0.45 * Math.sin(2 * Math.PI * 4 * t)) * Math.sin(2 * Math.PI * 300 * t));
      b[2 * i] = (byte) v;
      b[2 * i + 1] = (byte) (v >> 8);
    }
    return b;
  }

  @Test void givenSandboxAgent_whenOpenedAndCalleeSpeaks_thenGreetsThenAnswersTheTurn() {
    List<String> transcript = new CopyOnWriteArrayList<>();
    AtomicInteger audioBytes = new AtomicInteger();
    AtomicReference<AudioFormat[]> formats = new AtomicReference<>();
    ConversationalAIPort port = new SandboxAiProvider().create(Settings.empty());
    AiSession session = port.prepare(CallId.random());
    session.open(new AiCallOptions(null, Map.of(), "u"), new AiSessionListener() {
      @Override public void ready(String id, AudioFormat in, AudioFormat out) {
        formats.set(new AudioFormat[] {in, out});
      }

      @Override public void agentAudio(byte[] d, int o, int l, long e) {
        audioBytes.addAndGet(l);
      }

      @Override public void interrupted(long e) {}

      @Override public void transcript(TranscriptEntry.Role role, String text) {
        transcript.add(role.wireName() + ": " + text);
      }

      @Override public void ended(AiEnd end) {}
    });
    Await.until("greeting", () -> transcript.size() == 1);
    assertEquals(AudioFormat.PCM_16K, formats.get()[0]);
    assertEquals(AudioFormat.ULAW_8K, formats.get()[1]);
    assertEquals(Clips.AGENT_GREETING.length, audioBytes.get());
    byte[] talk = speech(1000, 16000);
    for (int i = 0; i < talk.length; i += 640) session.sendAudio(talk, i, 640);
    byte[] quiet = new byte[640];
    for (int i = 0; i < 60; i++) session.sendAudio(quiet, 0, 640);
    Await.until("reply", () -> transcript.size() == 3);
    assertTrue(transcript.get(1).startsWith("user: "), transcript.toString());
    assertTrue(transcript.get(2).startsWith("agent: "), transcript.toString());
    session.close();
    port.close();
  }

  @Test void givenCalleeVoice_whenPickedUp_thenSaysHelloThenAnswersAnAgentTurn() {
    SandboxCallee.Voice voice = new SandboxCallee.Voice();
    short[] out = new short[160];
    int spoken = 0;
    int silentBefore = 0;
    for (int i = 0; i < 200; i++) {
      if (voice.agentAudio(out)) {
        spoken++;
      } else if (spoken == 0) {
        silentBefore++;
      }
    }
    assertEquals(15, silentBefore, "a breath before Алло?");
    assertEquals((Clips.CALLEE_HELLO.length + 159) / 160, spoken);
    assertFalse(voice.agentAudio(out), "then it listens");
    byte[] agent = speech(1500, 8000);
    short[] frame = new short[160];
    for (int f = 0; f < agent.length / 320; f++) {
      for (int s = 0; s < 160; s++) frame[s] = (short) ((agent[f * 320 + 2 * s] & 0xFF) | (agent[f * 320 + 2 * s + 1] << 8));
      voice.calleeAudio(frame, 0);
    }
    short[] quiet = new short[160];
    int frames = 0;
    while (!voice.agentAudio(out) && frames++ < 100) voice.calleeAudio(quiet, 0);
    assertTrue(frames < 100, "the callee answers the agent's turn");
  }
}
