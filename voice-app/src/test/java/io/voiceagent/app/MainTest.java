package io.voiceagent.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
  @TempDir Path dir;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(Map<String, String> env, String... args) {
    return Main.run(args, env, dir.resolve(".env"), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test void givenHelp_whenRun_thenEverySettingListedAndExit0() {
    assertEquals(0, run(Map.of(), "--help"));
    String help = out.toString(StandardCharsets.UTF_8);
    for (SettingsCatalog.Setting s : SettingsCatalog.ALL) assertTrue(help.contains(s.name()), s.name());
  }

  @Test void givenMalformedSettings_whenRun_thenOneLinePerProblemNamingTheVariableAndExit2() {
    int code = run(Map.of("RTP_PORT_MIN", "abc", "APP_PORT", "70000", "AMD_MODE", "maybe", "LOG_FORMAT", "xml",
        "EXOLVE_SIP_USER", "883140000000000"));
    assertEquals(2, code);
    String e = err();
    for (String v : new String[] {"RTP_PORT_MIN", "APP_PORT", "AMD_MODE", "LOG_FORMAT", "EXOLVE_SIP_PASS"}) {
      assertTrue(e.contains(v), v + " named in: " + e);
    }
    assertEquals(5, e.strip().split("\n").length, e);
  }

  @Test void givenSecretInBadProxyUrl_whenRejected_thenSecretNotEchoed() {
    assertEquals(2, run(Map.of("SOCKS5_PROXY", "http://user:hunter2@proxy:1080")));
    assertTrue(err().contains("SOCKS5_PROXY"));
    assertFalse(err().contains("hunter2"));
  }

  @Test void givenDotEnvAndEnvironment_whenLoaded_thenEnvironmentWins() throws Exception {
    Files.writeString(dir.resolve(".env"), "# comment\nexport APP_PORT=9001\nAPP_HOST='0.0.0.0'\nLOG_FORMAT=json # inline\n");
    Map<String, String> merged = Environment.load(Map.of("APP_PORT", "9002"), dir.resolve(".env"));
    assertEquals("9002", merged.get("APP_PORT"));
    assertEquals("0.0.0.0", merged.get("APP_HOST"));
    assertEquals("json", merged.get("LOG_FORMAT"));
  }

  @Test void givenBrokenDotEnv_whenRun_thenExit2NamingTheLine() throws Exception {
    Files.writeString(dir.resolve(".env"), "APP_PORT=1\nthis is not a setting\n");
    assertEquals(2, run(Map.of()));
    assertTrue(err().contains("line 2"), err());
  }

  @Test void givenUnknownCommand_whenRun_thenExit2() {
    assertEquals(2, run(Map.of(), "dmeo"));
    assertTrue(err().contains("dmeo"));
  }
}
