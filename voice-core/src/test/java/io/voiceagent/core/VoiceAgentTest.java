package io.voiceagent.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voiceagent.core.ai.ConversationalAIPort;
import io.voiceagent.core.call.Call;
import io.voiceagent.core.call.CallStatus;
import io.voiceagent.core.config.Settings;
import io.voiceagent.core.service.StartCallCommand;
import io.voiceagent.core.spi.ConversationalAIProvider;
import io.voiceagent.core.spi.ProviderSelectionException;
import io.voiceagent.core.spi.TelephonyProvider;
import io.voiceagent.core.telephony.TelephonyPort;
import io.voiceagent.core.testing.RecordingListener;
import io.voiceagent.core.testing.ScriptedAi;
import io.voiceagent.core.testing.ScriptedTelephony;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VoiceAgentTest {
  private static TelephonyProvider telephony(ScriptedTelephony t) {
    return new TelephonyProvider() {
      @Override public String name() {
        return "scripted";
      }

      @Override public boolean isConfiguredBy(Settings s) {
        return true;
      }

      @Override public TelephonyPort create(Settings s) {
        return t;
      }
    };
  }

  private static ConversationalAIProvider ai(ScriptedAi a) {
    return new ConversationalAIProvider() {
      @Override public String name() {
        return "scripted";
      }

      @Override public boolean isConfiguredBy(Settings s) {
        return true;
      }

      @Override public ConversationalAIPort create(Settings s) {
        return a;
      }
    };
  }

  @Test void givenTwoAgentsInOneJvm_whenEachPlacesACall_thenTheyShareNothing() {
    var t1 = new ScriptedTelephony().behave(ScriptedTelephony.Behaviour.ANSWER);
    var t2 = new ScriptedTelephony().behave(ScriptedTelephony.Behaviour.BUSY);
    var l1 = new RecordingListener();
    var l2 = new RecordingListener();
    try (VoiceAgent a = VoiceAgent.builder().telephonyProvider(telephony(t1)).aiProvider(ai(new ScriptedAi()))
             .listener(l1).build();
         VoiceAgent b = VoiceAgent.builder().telephonyProvider(telephony(t2)).aiProvider(ai(new ScriptedAi()))
             .listener(l2).settings(Settings.of(Map.of("MAX_CONCURRENT_CALLS", "1"))).build()) {
      assertNotSame(a.calls(), b.calls());
      Call ca = a.calls().start(StartCallCommand.to("79123456789")).call();
      Call cb = b.calls().start(StartCallCommand.to("79123456780")).call();
      assertEquals(CallStatus.BUSY, l2.awaitEnded(cb.id()).status());
      assertTrue(a.calls().find(cb.id()).isEmpty(), "b's call is unknown to a");
      assertTrue(b.calls().find(ca.id()).isEmpty());
      assertEquals(CallStatus.ANSWERED, a.calls().get(ca.id()).status());
      a.calls().hangup(ca.id());
      assertEquals(CallStatus.COMPLETED, l1.awaitEnded(ca.id()).status());
    }
  }

  @Test void givenNoProvidersOnClassPath_whenBuilt_thenErrorSaysSo() {
    ProviderSelectionException e = assertThrows(ProviderSelectionException.class,
        () -> VoiceAgent.builder().telephonyProvider(telephony(new ScriptedTelephony()))
            .settings(Settings.of(Map.of("AI_PROVIDER", "elevenlabs"))).build());
    assertTrue(e.getMessage().contains("elevenlabs"), e.getMessage());
  }
}
