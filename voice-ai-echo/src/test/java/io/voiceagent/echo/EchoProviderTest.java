package io.voiceagent.echo;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import io.voiceagent.core.spi.ConversationalAIProvider;
import io.voiceagent.core.spi.Providers;
import io.voiceagent.core.testing.Await;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class EchoProviderTest {
  private static byte[] speech(int millis) {
    int n = 8 * millis;
    byte[] b = new byte[n * 2];
    for (int i = 0; i < n; i++) {
      double t = i / 8000.0;
      short v = (short) (6000 * (0.55 + 0.45 * Math.sin(2 * Math.PI * 4 * t)) * Math.sin(2 * Math.PI * 300 * t));
      b[2 * i] = (byte) v;
      b[2 * i + 1] = (byte) (v >> 8);
    }
    return b;
  }

  @Test void givenClassPath_whenProvidersLoaded_thenEchoIsFoundAndChosenWithNoSettings() {
    List<ConversationalAIProvider> found = Providers.load(ConversationalAIProvider.class, getClass().getClassLoader());
    assertEquals(List.of("echo"), found.stream().map(ConversationalAIProvider::name).toList());
    assertEquals("echo", Providers.chooseAi(found, null, Settings.empty()).name());
  }

  @Test void givenCalleeTurn_whenItEnds_thenPlayedBackWithTranscriptPerTurn() {
    ConversationalAIPort port = new EchoProvider().create(Settings.empty());
    AiSession session = port.prepare(CallId.random());
    List<String> transcript = new CopyOnWriteArrayList<>();
    ByteArrayOutputStream echoed = new ByteArrayOutputStream();
    List<AudioFormat> formats = new CopyOnWriteArrayList<>();
    session.open(new AiCallOptions(null, Map.of(), "u"), new AiSessionListener() {
      @Override public void ready(String id, AudioFormat in, AudioFormat out) {
        formats.add(in);
        formats.add(out);
      }

      @Override public void agentAudio(byte[] d, int o, int l, long e) {
        synchronized (echoed) {
          echoed.write(d, o, l);
        }
      }

      @Override public void interrupted(long e) {}

      @Override public void transcript(TranscriptEntry.Role role, String text) {
        transcript.add(role.wireName() + ": " + text);
      }

      @Override public void ended(AiEnd end) {}
    });
    Await.until("ready", () -> formats.size() == 2);
    assertEquals(List.of(AudioFormat.PCM_8K, AudioFormat.PCM_8K), formats);
    byte[] silence = new byte[320 * 20];
    byte[] said = speech(1200);
    session.sendAudio(silence, 0, silence.length);
    session.sendAudio(said, 0, said.length);
    for (int i = 0; i < 50; i++) session.sendAudio(new byte[320], 0, 320);
    Await.until("the echo", () -> transcript.size() == 2);
    assertTrue(transcript.get(0).startsWith("user: (turn 1"), transcript.toString());
    assertEquals("agent: (echo of turn 1)", transcript.get(1));
    byte[] back;
    synchronized (echoed) {
      back = echoed.toByteArray();
    }
    assertTrue(back.length >= said.length, "the whole turn comes back: " + back.length + " of " + said.length);
    assertTrue(back.length <= said.length + 320 * 50, "with at most the pre-roll and the hangover around it");
    session.close();
    port.close();
  }
}
