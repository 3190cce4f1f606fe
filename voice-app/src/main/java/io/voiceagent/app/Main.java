package io.voiceagent.app;

import io.voiceagent.core.config.ConfigException;
import io.voiceagent.core.config.Settings;
import io.voiceagent.core.spi.ProviderSelectionException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code java -jar voice-app.jar [demo|--help]}: serves the REST API, or runs the sandbox demo.
 * Exit codes: 0 fine, 1 the demo call did not go as it should, 2 bad settings.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    int code = run(args, System.getenv(), Path.of(".env"), System.out, System.err);
    if (code != 0) System.exit(code);
  }

  static int run(String[] args, Map<String, String> env, Path dotEnv, PrintStream out, PrintStream err) {
    String command = args.length == 0 ? "serve" : args[0];
    if (command.equals("--help") || command.equals("-h") || command.equals("help")) {
      out.print(SettingsCatalog.help());
      return 0;
    }
    if (!command.equals("serve") && !command.equals("demo")) {
      err.println("unknown command '" + command + "'; use demo, or --help");
      return 2;
    }
    Settings settings;
    try {
      settings = Settings.of(Environment.load(env, dotEnv));
    } catch (ConfigException e) {
      err.println(e.getMessage());
      return 2;
    }
    List<String> problems = SettingsCatalog.problems(settings);
    if (!problems.isEmpty()) {
      problems.forEach(err::println);
      return 2;
    }
    Logging.configure(settings.string("LOG_FORMAT", "text"), settings.string("APP_LOG_LEVEL", "INFO"));
    try {
      if (command.equals("demo")) return Demo.run(settings, out);
      App app = App.start(settings);
      Runtime.getRuntime().addShutdownHook(new Thread(app::shutdown, "shutdown"));
      app.awaitShutdown();
      return 0;
    } catch (ConfigException | ProviderSelectionException e) {
      err.println(e.getMessage());
      return 2;
    }
  }
}
