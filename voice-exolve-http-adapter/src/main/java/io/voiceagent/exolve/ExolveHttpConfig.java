package io.voiceagent.exolve;

import io.voiceagent.core.net.Socks5Proxy;

import io.voiceagent.core.config.ConfigException;
import io.voiceagent.core.config.Secret;
import io.voiceagent.core.config.Settings;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import okhttp3.HttpUrl;

/**
 * The Exolve HTTP adapter's settings, validated. The SIP account of the audio leg is the SIP adapter's
 * ({@code EXOLVE_SIP_*}, {@code SIP_*}) and is read by it.
 *
 * @param apiUrl            {@code EXOLVE_API_URL}, without a trailing slash
 * @param apiKey            {@code EXOLVE_API_KEY}, sent as {@code Authorization: Bearer …}
 * @param sourceNumber      {@code EXOLVE_SOURCE_NUMBER}: shown to the callee (MakeCallback's
 *                          {@code display_number}, MakeCall's {@code source})
 * @param method            {@code EXOLVE_HTTP_METHOD}
 * @param numberCode        {@code EXOLVE_NUMBER_CODE} (uint64), null with MakeCall
 * @param callbackResourceId {@code EXOLVE_CALLBACK_RESOURCE_ID} (uint64), null with MakeCall
 * @param order             {@code EXOLVE_CALLBACK_ORDER}
 * @param agentNumber       the destination of our own leg ({@code EXOLVE_AGENT_NUMBER}, default the SIP login)
 * @param sipUser           {@code EXOLVE_SIP_USER}
 * @param webhookSecret     {@code EXOLVE_WEBHOOK_SECRET}, or null: webhooks are then accepted from anyone
 * @param legMatchHeader    {@code EXOLVE_LEG_MATCH_HEADER} in lower case, or null: the INVITE header that names
 *                          the call; when set, calls are placed in parallel and matched by it alone
 * @param legSources        {@code EXOLVE_LEG_SOURCES}: addresses besides the registered proxy that may send legs
 * @param legMargin         {@code EXOLVE_LEG_MARGIN_S}: how long past the legs' ring timeouts a late leg is
 *                          still expected
 * @param legCheckFrom      {@code EXOLVE_LEG_CHECK_FROM}: the leg's From user must be the callee's number or
 *                          {@code EXOLVE_SOURCE_NUMBER}
 * @param queueMax          {@code EXOLVE_QUEUE_MAX}: dial requests waiting for the pending call's leg
 * @param pollInterval      {@code EXOLVE_POLL_INTERVAL_S}: GetInfo while no webhook arrives; zero turns it off
 * @param httpTimeout       {@code EXOLVE_HTTP_TIMEOUT_S}: connect, read, write and whole-call timeout
 * @param causeWait         {@code EXOLVE_CAUSE_WAIT_MS}: how long a call whose leg Exolve ended before the callee
 *                          answered waits for the end event that says why (busy, no answer…)
 * @param socks5            {@code SOCKS5_PROXY}, or null
 * @param appHost           {@code APP_HOST}: only for the startup warning about webhooks
 */
record ExolveHttpConfig(
    HttpUrl apiUrl,
    Secret apiKey,
    String sourceNumber,
    Method method,
    BigInteger numberCode,
    BigInteger callbackResourceId,
    Order order,
    String agentNumber,
    String sipUser,
    Secret webhookSecret,
    String legMatchHeader,
    List<InetAddress> legSources,
    Duration legMargin,
    boolean legCheckFrom,
    int queueMax,
    Duration pollInterval,
    Duration httpTimeout,
    Duration causeWait,
    Socks5Proxy socks5,
    String appHost) {

  /** The largest uint64. */
  static final BigInteger UINT64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

  /** {@code EXOLVE_HTTP_METHOD}. */
  enum Method {
    MAKE_CALLBACK("MakeCallback"), MAKE_CALL("MakeCall");

    final String wireName;

    Method(String wireName) {
      this.wireName = wireName;
    }
  }

  /** {@code EXOLVE_CALLBACK_ORDER}: which MakeCallback line rings first. */
  enum Order {
    /** line_1 is the callee, line_2 our SIP account: our INVITE means the callee answered. */
    CALLEE_FIRST,
    /** line_1 is our SIP account, line_2 the callee: the callee's answer comes from a webhook. */
    AGENT_FIRST;

    String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  ExolveHttpConfig {
    Objects.requireNonNull(apiUrl, "apiUrl");
    Objects.requireNonNull(apiKey, "apiKey");
    Objects.requireNonNull(sourceNumber, "sourceNumber");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(order, "order");
    Objects.requireNonNull(agentNumber, "agentNumber");
    Objects.requireNonNull(sipUser, "sipUser");
    Objects.requireNonNull(legMargin, "legMargin");
    Objects.requireNonNull(pollInterval, "pollInterval");
    Objects.requireNonNull(httpTimeout, "httpTimeout");
    Objects.requireNonNull(causeWait, "causeWait");
    legSources = List.copyOf(legSources);
    if (method == Method.MAKE_CALLBACK && (numberCode == null || callbackResourceId == null)) {
      throw new IllegalArgumentException("MakeCallback needs a number code and a callback resource id");
    }
    if (queueMax < 0) throw new IllegalArgumentException("queueMax is " + queueMax + ", expected ≥ 0");
    if (httpTimeout.isZero() || httpTimeout.isNegative()) {
      throw new IllegalArgumentException("httpTimeout is " + httpTimeout + ", expected > 0");
    }
  }

  /**
   * Reads the settings listed in {@code docs/exolve-http.md}.
   *
   * @throws ConfigException naming the variable that is missing or malformed
   */
  static ExolveHttpConfig fromSettings(Settings s) {
    String why = "with USE_EXOLVE_HTTP=true";
    Secret key = s.secret("EXOLVE_API_KEY").orElseThrow(() -> new ConfigException("EXOLVE_API_KEY",
        "EXOLVE_API_KEY is not set; it is required " + why + " (the application's API key, sent as a Bearer token)"));
    String sipUser = s.required("EXOLVE_SIP_USER", why + ": the HTTP call's audio reaches us as a SIP leg to this account");
    if (!s.isSet("EXOLVE_SIP_PASS")) {
      throw new ConfigException("EXOLVE_SIP_PASS", "EXOLVE_SIP_PASS is not set; it is required " + why
          + ": our SIP account must register so the call's audio leg can reach it");
    }
    HttpUrl url = apiUrl(s.string("EXOLVE_API_URL", "https://api.exolve.ru"));
    String source = number("EXOLVE_SOURCE_NUMBER", s.required("EXOLVE_SOURCE_NUMBER",
        why + ": the number shown to the callee"));
    Method method = s.choice("EXOLVE_HTTP_METHOD", "MakeCallback", "MakeCallback", "MakeCall").equals("MakeCall")
        ? Method.MAKE_CALL : Method.MAKE_CALLBACK;
    BigInteger numberCode = null;
    BigInteger resource = null;
    if (method == Method.MAKE_CALLBACK) {
      String needed = why + " and EXOLVE_HTTP_METHOD=MakeCallback";
      numberCode = uint64("EXOLVE_NUMBER_CODE", s.required("EXOLVE_NUMBER_CODE", needed
          + ": MakeCallback's number_code (the Exolve number the call is made from)"));
      resource = uint64("EXOLVE_CALLBACK_RESOURCE_ID", s.required("EXOLVE_CALLBACK_RESOURCE_ID", needed
          + ": MakeCallback's callback_resource_id (created in the Exolve application beforehand)"));
    }
    Order order = s.choice("EXOLVE_CALLBACK_ORDER", "callee_first", "callee_first", "agent_first")
        .equals("agent_first") ? Order.AGENT_FIRST : Order.CALLEE_FIRST;
    String agent = s.string("EXOLVE_AGENT_NUMBER", sipUser);
    if (!agent.matches("[0-9]{1,32}")) {
      throw new ConfigException("EXOLVE_AGENT_NUMBER", "EXOLVE_AGENT_NUMBER is '" + printable(agent)
          + "', expected digits only (our SIP login, or an Exolve number forwarded to it)");
    }
    String header = s.get("EXOLVE_LEG_MATCH_HEADER").orElse(null);
    if (header != null && !header.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+")) {
      throw new ConfigException("EXOLVE_LEG_MATCH_HEADER", "EXOLVE_LEG_MATCH_HEADER is '" + printable(header)
          + "', expected a SIP header name such as X-Call-Id");
    }
    Socks5Proxy proxy = s.get(Socks5Proxy.VARIABLE).map(Socks5Proxy::parse).orElse(null);
    try {
      return new ExolveHttpConfig(url, key, source, method, numberCode, resource, order, agent, sipUser,
          s.secret("EXOLVE_WEBHOOK_SECRET").orElse(null),
          header == null ? null : header.toLowerCase(Locale.ROOT),
          addresses("EXOLVE_LEG_SOURCES", s.get("EXOLVE_LEG_SOURCES").orElse("")),
          s.seconds("EXOLVE_LEG_MARGIN_S", 15, 0, 3600),
          s.bool("EXOLVE_LEG_CHECK_FROM", false),
          s.integer("EXOLVE_QUEUE_MAX", 50, 0, 100_000),
          s.seconds("EXOLVE_POLL_INTERVAL_S", 15, 0, 3600),
          s.seconds("EXOLVE_HTTP_TIMEOUT_S", 10, 1, 300),
          Duration.ofMillis(s.integer("EXOLVE_CAUSE_WAIT_MS", 3000, 0, 60_000)),
          proxy,
          s.string("APP_HOST", "127.0.0.1"));
    } catch (IllegalArgumentException e) {
      throw new ConfigException("USE_EXOLVE_HTTP", "Exolve HTTP settings are not valid: " + e.getMessage());
    }
  }

  private static HttpUrl apiUrl(String text) {
    HttpUrl url = HttpUrl.parse(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
    if (url == null) {
      throw new ConfigException("EXOLVE_API_URL", "EXOLVE_API_URL is '" + printable(text)
          + "', expected an http(s) URL such as https://api.exolve.ru");
    }
    if (url.query() != null || url.username().length() > 0) {
      throw new ConfigException("EXOLVE_API_URL", "EXOLVE_API_URL is '" + printable(text)
          + "', expected a base URL without query or login");
    }
    return url;
  }

  /** Digits only, as Exolve wants numbers ({@code 7XXXXXXXXXX}, no {@code +}). */
  static String number(String variable, String value) {
    if (!value.matches("[0-9]{10,15}")) {
      throw new ConfigException(variable, variable + " is '" + printable(value)
          + "', expected 10-15 digits without '+' (e.g. 79991112233)");
    }
    return value;
  }

  static BigInteger uint64(String variable, String value) {
    if (!value.matches("[0-9]{1,20}") || new BigInteger(value).compareTo(UINT64_MAX) > 0) {
      throw new ConfigException(variable, variable + " is '" + printable(value)
          + "', expected a whole number 0.." + UINT64_MAX + " (Exolve sends it as a JSON number)");
    }
    return new BigInteger(value);
  }

  private static List<InetAddress> addresses(String variable, String list) {
    List<InetAddress> out = new ArrayList<>();
    for (String part : list.split(",")) {
      String p = part.trim();
      if (p.isEmpty()) continue;
      if (!p.matches("[0-9.]+|[0-9A-Fa-f:]+")) {
        throw new ConfigException(variable, variable + " holds '" + printable(p)
            + "', expected IP addresses separated by commas (no names: they are not looked up per INVITE)");
      }
      try {
        out.add(InetAddress.getByName(p)); // a literal: no lookup
      } catch (UnknownHostException e) {
        throw new ConfigException(variable, variable + " holds '" + printable(p) + "', which is not an IP address");
      }
    }
    return out;
  }

  static String printable(String s) {
    String cut = s.length() > 60 ? s.substring(0, 60) + "…" : s;
    return cut.replaceAll("\\p{Cntrl}", "?");
  }

  @Override public String toString() {
    return "ExolveHttpConfig[api=" + apiUrl + ", key=****, method=" + method.wireName + ", order=" + order.wireName()
        + ", source=" + sourceNumber + ", agent=" + agentNumber + ", webhookSecret=" + (webhookSecret == null ? "none" : "****")
        + ", legMatchHeader=" + legMatchHeader + ", poll=" + pollInterval.toSeconds() + "s, socks5=" + socks5 + "]";
  }
}
