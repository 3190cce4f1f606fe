package io.voiceagent.core.config;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Read-only configuration: the environment (plus {@code .env}) as the app assembled it, or a map an embedder
 * builds in code. Typed getters validate and throw {@link ConfigException} naming the variable; values of
 * secret variables are never part of a message.
 */
public final class Settings {
  private final Map<String, String> values;

  private Settings(Map<String, String> values) {
    this.values = Map.copyOf(values);
  }

  public static Settings of(Map<String, String> values) {
    var clean = new TreeMap<String, String>();
    values.forEach((k, v) -> {
      if (k != null && v != null && !v.isBlank()) clean.put(k, v.trim());
    });
    return new Settings(clean);
  }

  public static Settings empty() {
    return new Settings(Map.of());
  }

  /** A copy with {@code name} set to {@code value} (tests and embedders). */
  public Settings with(String name, String value) {
    var copy = new TreeMap<>(values);
    copy.put(name, value);
    return of(copy);
  }

  /** A copy without the variables {@code drop} accepts (e.g. every {@code EXOLVE_} setting). */
  public Settings without(java.util.function.Predicate<String> drop) {
    var copy = new TreeMap<>(values);
    copy.keySet().removeIf(drop);
    return new Settings(copy);
  }

  public Optional<String> get(String name) {
    return Optional.ofNullable(values.get(name));
  }

  public boolean isSet(String name) {
    return values.containsKey(name);
  }

  public String string(String name, String defaultValue) {
    return values.getOrDefault(name, defaultValue);
  }

  public String required(String name, String why) {
    String v = values.get(name);
    if (v == null) throw new ConfigException(name, name + " is not set; it is required " + why);
    return v;
  }

  public Optional<Secret> secret(String name) {
    return get(name).map(Secret::of);
  }

  public int integer(String name, int defaultValue, int min, int max) {
    String v = values.get(name);
    if (v == null) return defaultValue;
    int parsed;
    try {
      parsed = Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new ConfigException(name, name + " is '" + v + "', expected a whole number");
    }
    if (parsed < min || parsed > max) {
      throw new ConfigException(name, name + " is " + parsed + ", expected " + min + ".." + max);
    }
    return parsed;
  }

  public boolean bool(String name, boolean defaultValue) {
    String v = values.get(name);
    if (v == null) return defaultValue;
    switch (v.toLowerCase(Locale.ROOT)) {
      case "true": case "1": case "yes": case "on": return true;
      case "false": case "0": case "no": case "off": return false;
      default: throw new ConfigException(name, name + " is '" + v + "', expected true or false");
    }
  }

  public Duration seconds(String name, int defaultSeconds, int min, int max) {
    return Duration.ofSeconds(integer(name, defaultSeconds, min, max));
  }

  /** One of {@code allowed} (case-insensitive), returned in lower case. */
  public String choice(String name, String defaultValue, String... allowed) {
    String v = values.get(name);
    if (v == null) return defaultValue;
    for (String a : allowed) {
      if (a.equalsIgnoreCase(v)) return a;
    }
    throw new ConfigException(name, name + " is '" + v + "', expected one of " + String.join(", ", allowed));
  }

  /** The names that are set, for diagnostics (never the values). */
  public java.util.Set<String> names() {
    return values.keySet();
  }

  @Override public String toString() {
    return "Settings" + values.keySet();
  }
}
