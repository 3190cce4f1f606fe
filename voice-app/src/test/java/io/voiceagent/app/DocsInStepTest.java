package io.voiceagent.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.voiceagent.core.VoiceAgent;
import io.voiceagent.core.config.Settings;
import io.voiceagent.core.testing.ScriptedAi;
import io.voiceagent.core.testing.ScriptedTelephony;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The docs say what the code does: every served route is in the OpenAPI file and back; every setting is documented. */
class DocsInStepTest {
  private static Path docs(String name) {
    Path p = Path.of("..", "docs", name);
    assertTrue(Files.exists(p), p.toAbsolutePath() + " exists");
    return p;
  }

  @Test void givenOpenApiFile_whenComparedWithServedRoutes_thenSameSet() throws Exception {
    JsonNode spec = new ObjectMapper(new YAMLFactory()).readTree(docs("openapi.yaml").toFile());
    Set<String> documented = new TreeSet<>();
    Iterator<String> paths = spec.get("paths").fieldNames();
    while (paths.hasNext()) {
      String path = paths.next();
      Iterator<String> methods = spec.get("paths").get(path).fieldNames();
      while (methods.hasNext()) documented.add(methods.next().toUpperCase(Locale.ROOT) + " " + path);
    }
    Set<String> served = new TreeSet<>();
    try (VoiceAgent agent = VoiceAgent.builder()
        .telephonyProvider(ApiServerTest.provider(new ScriptedTelephony()))
        .aiProvider(ApiServerTest.provider(new ScriptedAi())).build()) {
      ApiServer server = new ApiServer(agent, null, new InetSocketAddress("127.0.0.1", 0));
      for (ApiServer.Route r : server.routes()) served.add(r.method() + " " + r.template());
      server.close();
    }
    assertEquals(served, documented);
  }

  @Test void givenConfigurationDoc_whenRead_thenEverySettingWithItsDefault() throws Exception {
    String doc = Files.readString(docs("configuration.md"));
    String help = SettingsCatalog.help();
    for (SettingsCatalog.Setting s : SettingsCatalog.ALL) {
      assertTrue(doc.contains("`" + s.name() + "`"), s.name() + " is documented");
      assertTrue(doc.contains(s.defaultValue()), s.name() + "'s default " + s.defaultValue() + " is documented");
      assertTrue(help.contains(s.name()), s.name() + " is in --help");
    }
  }

  @Test void givenEmptySettings_whenValidated_thenNoProblems() {
    assertEquals(0, SettingsCatalog.problems(Settings.empty()).size());
  }
}
