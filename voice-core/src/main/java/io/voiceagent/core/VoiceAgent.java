package io.voiceagent.core;

import io.voiceagent.core.ai.ConversationalAIPort;
import io.voiceagent.core.ai.ToolHandler;
import io.voiceagent.core.amd.AmdPolicy;
import io.voiceagent.core.amd.AnsweringMachineDetection;
import io.voiceagent.core.amd.AnsweringMachineDetector;
import io.voiceagent.core.audio.AudioPipelineFactory;
import io.voiceagent.core.audio.AudioPipelines;
import io.voiceagent.core.config.Settings;
import io.voiceagent.core.service.CallListener;
import io.voiceagent.core.service.CallRepository;
import io.voiceagent.core.service.CallService;
import io.voiceagent.core.service.CallSettings;
import io.voiceagent.core.spi.ConversationalAIProvider;
import io.voiceagent.core.spi.Providers;
import io.voiceagent.core.spi.TelephonyProvider;
import io.voiceagent.core.telephony.TelephonyPort;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole agent, assembled from code: providers found on the class path (or given), their ports, and
 * the {@link CallService}. This is what an embedding application uses instead of the REST API, and what
 * the app itself is built on. No global state: several instances live side by side in one JVM.
 *
 * <pre>{@code
 * try (VoiceAgent agent = VoiceAgent.builder().settings(Settings.of(System.getenv())).build()) {
 *   Call call = agent.calls().start(StartCallCommand.to("+79123456789")).call();
 *   ...
 * }
 * }</pre>
 */
public final class VoiceAgent implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(VoiceAgent.class);

  private final String telephonyName;
  private final String aiName;
  private final TelephonyPort telephony;
  private final ConversationalAIPort ai;
  private final CallService calls;
  private final AtomicBoolean closed = new AtomicBoolean();

  private VoiceAgent(String telephonyName, String aiName, TelephonyPort telephony, ConversationalAIPort ai,
      CallService calls) {
    this.telephonyName = telephonyName;
    this.aiName = aiName;
    this.telephony = telephony;
    this.ai = ai;
    this.calls = calls;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The use cases: start, hang up, get, list, DTMF, listeners. */
  public CallService calls() {
    return calls;
  }

  public String telephonyProviderName() {
    return telephonyName;
  }

  public String aiProviderName() {
    return aiName;
  }

  /** Provider webhooks (Exolve's call events) for the embedding HTTP server to route, if any. */
  public java.util.Optional<io.voiceagent.core.telephony.WebhookReceiver> webhooks() {
    return telephony.webhooks();
  }

  /**
   * Hangs up every active call, then closes the AI port and telephony (which un-registers), in reverse
   * order of opening. Idempotent.
   */
  @Override public void close() {
    if (!closed.compareAndSet(false, true)) return;
    RuntimeException failure = null;
    for (AutoCloseable c : List.<AutoCloseable>of(calls, ai, telephony)) {
      try {
        c.close();
      } catch (Exception e) {
        if (failure == null) {
          failure = new IllegalStateException("closing the voice agent failed", e);
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    log.info("voice agent closed");
    if (failure != null) throw failure;
  }

  @Override public String toString() {
    return "VoiceAgent[telephony=" + telephonyName + ", ai=" + aiName + (closed.get() ? ", closed" : "") + "]";
  }

  /** Builds a {@link VoiceAgent}. Only {@link #settings} is needed; the rest overrides discovery or defaults. */
  public static final class Builder {
    private Settings settings = Settings.empty();
    private ClassLoader classLoader = VoiceAgent.class.getClassLoader();
    private ConversationalAIProvider aiProvider;
    private TelephonyProvider telephonyProvider;
    private CallRepository repository;
    private Clock clock = Clock.systemUTC();
    private AudioPipelineFactory pipelines = AudioPipelines.standard();
    private AnsweringMachineDetector detector;
    private AmdPolicy amdPolicy;
    private final List<CallListener> listeners = new ArrayList<>();
    private final List<ToolHandler> tools = new ArrayList<>();

    private Builder() {}

    public Builder settings(Settings s) {
      this.settings = Objects.requireNonNull(s, "settings");
      return this;
    }

    /** Where providers are looked up with {@link java.util.ServiceLoader}. */
    public Builder classLoader(ClassLoader cl) {
      this.classLoader = Objects.requireNonNull(cl, "classLoader");
      return this;
    }

    /** Uses this AI provider instead of discovery. */
    public Builder aiProvider(ConversationalAIProvider p) {
      this.aiProvider = p;
      return this;
    }

    /** Uses this telephony provider instead of discovery. */
    public Builder telephonyProvider(TelephonyProvider p) {
      this.telephonyProvider = p;
      return this;
    }

    public Builder repository(CallRepository r) {
      this.repository = r;
      return this;
    }

    public Builder clock(Clock c) {
      this.clock = Objects.requireNonNull(c, "clock");
      return this;
    }

    public Builder pipelines(AudioPipelineFactory p) {
      this.pipelines = Objects.requireNonNull(p, "pipelines");
      return this;
    }

    /**
     * The answering-machine detector and what to do with its verdicts; by default both come from the
     * {@code AMD_*} settings ({@code AMD_MODE=detect}).
     */
    public Builder answeringMachineDetector(AnsweringMachineDetector d, AmdPolicy policy) {
      this.detector = Objects.requireNonNull(d, "detector");
      this.amdPolicy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    public Builder listener(CallListener l) {
      listeners.add(Objects.requireNonNull(l, "listener"));
      return this;
    }

    public Builder toolHandler(ToolHandler t) {
      tools.add(Objects.requireNonNull(t, "toolHandler"));
      return this;
    }

    /**
     * Chooses the providers (SPEC's order), creates their ports and the call service.
     *
     * @throws io.voiceagent.core.spi.ProviderSelectionException no provider can be chosen
     * @throws io.voiceagent.core.config.ConfigException        a setting is missing or malformed
     */
    public VoiceAgent build() {
      CallSettings callSettings = CallSettings.from(settings);
      ConversationalAIProvider aiP = aiProvider != null ? aiProvider
          : Providers.chooseAi(Providers.load(ConversationalAIProvider.class, classLoader),
              settings.get("AI_PROVIDER").orElse(null), settings);
      TelephonyProvider telP = telephonyProvider != null ? telephonyProvider
          : Providers.chooseTelephony(Providers.load(TelephonyProvider.class, classLoader), settings);
      ConversationalAIPort ai = aiP.create(settings);
      TelephonyPort telephony;
      try {
        telephony = telP.create(settings);
      } catch (RuntimeException e) {
        ai.close();
        throw e;
      }
      CallService.Builder b = CallService.builder().telephony(telephony).ai(ai).clock(clock).settings(callSettings)
          .pipelines(pipelines);
      if (repository != null) b.repository(repository);
      if (detector != null) {
        b.answeringMachineDetector(detector, amdPolicy);
      } else {
        AnsweringMachineDetection amd = AnsweringMachineDetection.fromSettings(settings); // AMD_MODE=detect by default
        b.answeringMachineDetector(amd.detector(), amd.policy());
      }
      listeners.forEach(b::listener);
      tools.forEach(b::toolHandler);
      log.info("voice agent: telephony {}, AI {}", telP.name(), aiP.name());
      return new VoiceAgent(telP.name(), aiP.name(), telephony, ai, b.build());
    }
  }
}
