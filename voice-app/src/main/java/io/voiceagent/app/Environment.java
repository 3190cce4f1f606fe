package io.voiceagent.app;

import io.voiceagent.core.config.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The process environment plus a {@code .env} file; the real environment wins. */
final class Environment {
  private Environment() {}

  static Map<String, String> load(Map<String, String> env, Path dotEnv) {
    Map<String, String> merged = new LinkedHashMap<>();
    if (Files.isRegularFile(dotEnv)) merged.putAll(parseDotEnv(dotEnv));
    merged.putAll(env);
    return merged;
  }

  /** {@code KEY=value} lines; {@code #} comments, blank lines, {@code export } and quotes allowed. */
  static Map<String, String> parseDotEnv(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigException(".env", "cannot read " + file + ": " + e.getMessage());
    }
    Map<String, String> out = new LinkedHashMap<>();
    int n = 0;
    for (String raw : lines) {
      n++;
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) continue;
      if (line.startsWith("export ")) line = line.substring(7).strip();
      int eq = line.indexOf('=');
      if (eq <= 0) throw new ConfigException(".env", file + " line " + n + " is not KEY=value");
      String key = line.substring(0, eq).strip();
      String value = line.substring(eq + 1).strip();
      if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
          || value.startsWith("'") && value.endsWith("'"))) {
        value = value.substring(1, value.length() - 1);
      } else {
        int hash = value.indexOf(" #");
        if (hash >= 0) value = value.substring(0, hash).strip();
      }
      out.put(key, value);
    }
    return out;
  }
}
