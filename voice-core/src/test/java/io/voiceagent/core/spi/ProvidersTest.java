package io.voiceagent.core.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voiceagent.core.ai.ConversationalAIPort;
import io.voiceagent.core.config.Settings;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProvidersTest {
  /** A provider configured by one variable; test-only. */
  public static class Named implements ConversationalAIProvider {
    private final String name;
    private final String variable;

    public Named() {
      this("listed", "LISTED_ID");
    }

    Named(String name, String variable) {
      this.name = name;
      this.variable = variable;
    }

    @Override public String name() {
      return name;
    }

    @Override public boolean isConfiguredBy(Settings s) {
      return variable != null && s.isSet(variable);
    }

    @Override public ConversationalAIPort create(Settings s) {
      throw new UnsupportedOperationException();
    }
  }

  /** Listed in META-INF/services but fails to construct: must be skipped, not fatal. */
  public static class Broken extends Named {
    public Broken() {
      super("broken", null);
      throw new IllegalStateException("broken on purpose");
    }
  }

  private final Named sandbox = new Named("sandbox", null);
  private final Named elevenlabs = new Named("elevenlabs", "ELEVENLABS_AGENT_ID");
  private final Named echo = new Named("echo", "ECHO_ON");

  @Test void givenExplicitName_whenChoosing_thenThatOneEvenIfOthersConfigured() {
    Settings s = Settings.of(Map.of("ELEVENLABS_AGENT_ID", "a"));
    assertEquals(echo, Providers.chooseAi(List.of(sandbox, elevenlabs, echo), "echo", s));
    assertEquals(echo, Providers.chooseAi(List.of(sandbox, elevenlabs, echo), "ECHO", s));
  }

  @Test void givenUnknownName_whenChoosing_thenErrorListsPresentNames() {
    ProviderSelectionException e = assertThrows(ProviderSelectionException.class,
        () -> Providers.chooseAi(List.of(sandbox, elevenlabs), "openai", Settings.empty()));
    assertTrue(e.getMessage().contains("AI_PROVIDER"), e.getMessage());
    assertTrue(e.getMessage().contains("openai"), e.getMessage());
    assertTrue(e.getMessage().contains("sandbox, elevenlabs"), e.getMessage());
  }

  @Test void givenOneConfigured_whenChoosing_thenIt() {
    Settings s = Settings.of(Map.of("ELEVENLABS_AGENT_ID", "a"));
    assertEquals(elevenlabs, Providers.chooseAi(List.of(sandbox, elevenlabs, echo), null, s));
  }

  @Test void givenKeyButNoAgentId_whenChoosing_thenSandbox() {
    Settings s = Settings.of(Map.of("ELEVENLABS_API_KEY", "k"));
    assertEquals(sandbox, Providers.chooseAi(List.of(sandbox, elevenlabs), null, s));
  }

  @Test void givenSeveralConfigured_whenChoosing_thenAskForAiProvider() {
    Settings s = Settings.of(Map.of("ELEVENLABS_AGENT_ID", "a", "ECHO_ON", "1"));
    ProviderSelectionException e = assertThrows(ProviderSelectionException.class,
        () -> Providers.chooseAi(List.of(sandbox, elevenlabs, echo), null, s));
    assertTrue(e.getMessage().contains("AI_PROVIDER"), e.getMessage());
  }

  @Test void givenNothingConfiguredAndNoSandbox_whenChoosing_thenErrorListsNames() {
    ProviderSelectionException e = assertThrows(ProviderSelectionException.class,
        () -> Providers.chooseAi(List.of(elevenlabs), null, Settings.empty()));
    assertTrue(e.getMessage().contains("elevenlabs"), e.getMessage());
  }

  @Test void givenBrokenJarEntry_whenLoading_thenOthersStillLoad() {
    List<ConversationalAIProvider> found = Providers.load(ConversationalAIProvider.class, getClass().getClassLoader());
    assertEquals(List.of("listed"), found.stream().map(ConversationalAIProvider::name).toList());
  }
}
