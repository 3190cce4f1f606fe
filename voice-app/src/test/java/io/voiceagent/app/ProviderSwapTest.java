package io.voiceagent.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voiceagent.core.VoiceAgent;
import io.voiceagent.core.call.Call;
import io.voiceagent.core.call.CallStatus;
import io.voiceagent.core.call.TranscriptEntry;
import io.voiceagent.core.config.Settings;
import io.voiceagent.core.service.StartCallCommand;
import io.voiceagent.core.spi.ProviderSelectionException;
import io.voiceagent.core.testing.Await;
import io.voiceagent.core.testing.ScriptedTelephony;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The AI provider is chosen by what is on the class path, and by AI_PROVIDER when several are configured. */
class ProviderSwapTest {
  private static final String AI_SERVICES = "META-INF/services/io.voiceagent.core.spi.ConversationalAIProvider";

  /**
   * A class path without some providers: their registrations are hidden, as if their jars were not there.
   */
  static final class Without extends ClassLoader {
    private final Set<String> hidden;

    Without(String... providerClasses) {
      super(ProviderSwapTest.class.getClassLoader());
      this.hidden = Set.of(providerClasses);
    }

    @Override public Enumeration<URL> getResources(String name) throws IOException {
      Enumeration<URL> all = super.getResources(name);
      if (!name.equals(AI_SERVICES)) return all;
      List<URL> kept = new ArrayList<>();
      for (URL url : Collections.list(all)) {
        try (InputStream in = url.openStream()) {
          String content = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
          if (!hidden.contains(content)) kept.add(url);
        }
      }
      return Collections.enumeration(kept);
    }
  }

  private static final String ELEVENLABS = "io.voiceagent.elevenlabs.ElevenLabsProvider";
  private static final String ECHO = "io.voiceagent.echo.EchoProvider";

  private static VoiceAgent agent(ClassLoader cl, Map<String, String> env, ScriptedTelephony t) {
    Map<String, String> withoutAmd = new java.util.HashMap<>(env);
    withoutAmd.put("AMD_MODE", "off"); // the scripted callee says nothing until the agent is there
    return VoiceAgent.builder().classLoader(cl).settings(Settings.of(withoutAmd))
        .telephonyProvider(ApiServerTest.provider(t)).build();
  }

  @Test void givenOnlyEchoOnTheClassPath_whenACallIsPlaced_thenEchoTalksWithNoConfigurationChange() {
    ScriptedTelephony telephony = new ScriptedTelephony().behave(ScriptedTelephony.Behaviour.ANSWER);
    try (VoiceAgent agent = agent(new Without(ELEVENLABS), Map.of(), telephony)) {
      assertEquals("echo", agent.aiProviderName());
      Call call = agent.calls().start(StartCallCommand.to("79123456789")).call();
      Await.until("echo connected", () -> agent.calls().get(call.id()).aiConnected());
      var media = telephony.line(call.id()).media;
      // the callee speaks for a second, then is quiet: the echo answers with the same audio
      short[] frame = new short[160];
      for (int f = 0; f < 100; f++) {
        for (int i = 0; i < 160; i++) {
          double s = (f * 160 + i) / 8000.0;
          frame[i] = f < 50 ? (short) (6000 * (0.55 + 0.45 * Math.sin(2 * Math.PI * 4 * s)) * Math.sin(2 * Math.PI * 300 * s)) : 0;
        }
        media.tick(frame);
      }
      Await.until("the echo's transcript", () -> agent.calls().get(call.id()).transcript().size() == 2);
      short[] quiet = new short[160];
      int heard = 0;
      for (int f = 0; f < 100; f++) {
        if (media.tick(quiet) != null) heard++;
      }
      assertTrue(heard >= 50, "the callee hears its own second of speech back: " + heard + " frames");
      Call now = agent.calls().get(call.id());
      assertEquals(TranscriptEntry.Role.USER, now.transcript().get(0).role());
      assertEquals("(echo of turn 1)", now.transcript().get(1).text());
      assertEquals("echo-" + call.id(), now.conversationId());
      assertEquals(CallStatus.ANSWERED, now.status());
    }
  }

  @Test void givenOnlyElevenLabsAndNothingConfigured_whenBuilt_thenSandbox() {
    try (VoiceAgent agent = agent(new Without(ECHO), Map.of(), new ScriptedTelephony())) {
      assertEquals("sandbox", agent.aiProviderName());
    }
  }

  @Test void givenBothProvidersConfigured_whenAiProviderSet_thenItChooses() {
    Map<String, String> both = Map.of("ELEVENLABS_AGENT_ID", "agent_1");
    ClassLoader cl = ProviderSwapTest.class.getClassLoader();
    ProviderSelectionException e = assertThrows(ProviderSelectionException.class,
        () -> agent(cl, both, new ScriptedTelephony()));
    assertTrue(e.getMessage().contains("AI_PROVIDER"), e.getMessage());
    try (VoiceAgent agent = agent(cl, Map.of("ELEVENLABS_AGENT_ID", "agent_1", "AI_PROVIDER", "echo"), new ScriptedTelephony())) {
      assertEquals("echo", agent.aiProviderName());
    }
    try (VoiceAgent agent = agent(cl, Map.of("ELEVENLABS_AGENT_ID", "agent_1", "AI_PROVIDER", "elevenlabs"),
        new ScriptedTelephony())) {
      assertEquals("elevenlabs", agent.aiProviderName());
    }
  }

  @Test void givenUnknownAiProvider_whenBuilt_thenFailsListingThePresentOnes() {
    ProviderSelectionException e = assertThrows(ProviderSelectionException.class,
        () -> agent(getClass().getClassLoader(), Map.of("AI_PROVIDER", "openai"), new ScriptedTelephony()));
    for (String name : new String[] {"openai", "elevenlabs", "echo", "sandbox"}) {
      assertTrue(e.getMessage().contains(name), name + " in: " + e.getMessage());
    }
  }
}
