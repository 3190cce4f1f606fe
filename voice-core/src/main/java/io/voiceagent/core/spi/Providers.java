package io.voiceagent.core.spi;

import io.voiceagent.core.config.Settings;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.function.BiPredicate;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds providers on the class path and chooses one, in SPEC's order: an explicit name; else the one
 * non-sandbox provider the settings configure; else {@code sandbox}.
 */
public final class Providers {
  /** The name of the offline provider that is chosen when nothing else is configured. */
  public static final String SANDBOX = "sandbox";

  private static final Logger log = LoggerFactory.getLogger(Providers.class);

  private Providers() {}

  /**
   * Loads every provider of {@code type}, each in its own try: a broken jar is logged and skipped, the
   * others still load.
   */
  public static <P> List<P> load(Class<P> type, ClassLoader loader) {
    List<P> found = new ArrayList<>();
    Iterator<P> it = ServiceLoader.load(type, loader).iterator();
    while (true) {
      try {
        if (!it.hasNext()) break;
        found.add(it.next());
      } catch (ServiceConfigurationError e) {
        log.error("skipping a {} that failed to load", type.getSimpleName(), e);
      }
    }
    return found;
  }

  public static ConversationalAIProvider chooseAi(List<ConversationalAIProvider> present, String explicitName,
      Settings settings) {
    return choose("AI provider", "AI_PROVIDER", present, explicitName, settings,
        ConversationalAIProvider::name, (p, s) -> p.isConfiguredBy(s));
  }

  public static TelephonyProvider chooseTelephony(List<TelephonyProvider> present, Settings settings) {
    return choose("telephony provider", null, present, null, settings,
        TelephonyProvider::name, (p, s) -> p.isConfiguredBy(s));
  }

  /** SPEC's choice, for any kind of provider. */
  static <P> P choose(String kind, String variable, List<P> present, String explicitName, Settings settings,
      Function<P, String> name, BiPredicate<P, Settings> configured) {
    Objects.requireNonNull(settings, "settings");
    if (explicitName != null && !explicitName.isBlank()) {
      for (P p : present) {
        if (name.apply(p).equalsIgnoreCase(explicitName.trim())) return p;
      }
      throw new ProviderSelectionException(variable + " is '" + explicitName + "', but no such " + kind
          + " is on the class path; present: " + names(present, name));
    }
    List<P> configuredOnes = new ArrayList<>();
    P sandbox = null;
    for (P p : present) {
      if (SANDBOX.equals(name.apply(p))) {
        sandbox = p;
      } else if (configured.test(p, settings)) {
        configuredOnes.add(p);
      }
    }
    if (configuredOnes.size() == 1) return configuredOnes.get(0);
    if (configuredOnes.size() > 1) {
      throw new ProviderSelectionException("several " + kind + "s are configured (" + names(configuredOnes, name)
          + ")" + (variable == null ? "" : "; set " + variable + " to choose one"));
    }
    if (sandbox != null) {
      log.warn("no {} is configured: using the offline sandbox", kind);
      return sandbox;
    }
    throw new ProviderSelectionException("no " + kind + " is configured and no sandbox is on the class path; present: "
        + names(present, name));
  }

  private static <P> String names(List<P> present, Function<P, String> name) {
    if (present.isEmpty()) return "none";
    List<String> out = new ArrayList<>();
    for (P p : present) out.add(name.apply(p));
    return String.join(", ", out);
  }
}
