package io.voiceagent.sip;

import io.voiceagent.core.config.ConfigException;
import io.voiceagent.core.config.Secret;
import io.voiceagent.core.config.Settings;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * Everything the SIP user agent needs to know, built from {@link Settings} ({@link #fromSettings}) or in code
 * ({@link #builder}).
 *
 * @param user              the SIP login ({@code EXOLVE_SIP_USER}); the user part of our AOR and Contact
 * @param password          the SIP password ({@code EXOLVE_SIP_PASS}), or null: challenges then fail
 * @param domain            the SIP domain ({@code EXOLVE_SIP_DOMAIN}): host of the AOR and of dialled URIs
 * @param proxyHost         where REGISTER and every request are sent ({@code EXOLVE_SIP_PROXY}), or null to
 *                          send to the Request-URI (the sandbox callee)
 * @param proxyPort         the proxy's port
 * @param callerId          the number shown to the callee where the provider allows it ({@code EXOLVE_CALLER_ID})
 * @param transport         {@code SIP_TRANSPORT}
 * @param bindAddress       local IP to bind SIP to ({@code SIP_BIND_ADDRESS}); null: the address that routes to
 *                          the proxy, or 127.0.0.1 without one
 * @param localPortMin      first local SIP port tried ({@code SIP_LOCAL_PORT}, or 5060)
 * @param localPortMax      last local SIP port tried (equal to {@code SIP_LOCAL_PORT} when set, else 5080)
 * @param publicAddress     {@code host[:port]} put in Contact and SDP {@code c=} behind NAT
 *                          ({@code SIP_PUBLIC_ADDRESS}), or null
 * @param register          whether to register with the proxy ({@code SIP_REGISTER}, default true)
 * @param registerExpires   Expires asked for ({@code SIP_REGISTER_EXPIRES_S}, 3600); the server may grant less
 * @param registerRetryMin  first back-off after a failed registration ({@code SIP_REGISTER_RETRY_MIN_S}, 5)
 * @param registerRetryMax  back-off cap ({@code SIP_REGISTER_RETRY_MAX_S}, 300)
 * @param keepalive         NAT keepalive toward the proxy ({@code SIP_KEEPALIVE_S}, 25); zero turns it off
 * @param keepaliveOptions  true: keepalive with OPTIONS; false: CRLF ({@code SIP_KEEPALIVE_METHOD})
 * @param sessionExpires    RFC 4028 session interval we ask for ({@code SIP_SESSION_EXPIRES_S}, 1800); zero off
 * @param stackThreads      jain-sip's message-processing threads ({@code SIP_STACK_THREADS}, 2)
 * @param userAgent         the User-Agent header
 */
public record SipConfig(
    String user,
    Secret password,
    String domain,
    String proxyHost,
    int proxyPort,
    String callerId,
    SipTransport transport,
    String bindAddress,
    int localPortMin,
    int localPortMax,
    String publicAddress,
    boolean register,
    Duration registerExpires,
    Duration registerRetryMin,
    Duration registerRetryMax,
    Duration keepalive,
    boolean keepaliveOptions,
    Duration sessionExpires,
    int stackThreads,
    String userAgent) {

  /** Minimum session interval RFC 4028 allows. */
  static final Duration MIN_SESSION_EXPIRES = Duration.ofSeconds(90);

  public SipConfig {
    requireToken("user", user);
    requireToken("domain", domain);
    Objects.requireNonNull(transport, "transport");
    Objects.requireNonNull(registerExpires, "registerExpires");
    Objects.requireNonNull(registerRetryMin, "registerRetryMin");
    Objects.requireNonNull(registerRetryMax, "registerRetryMax");
    Objects.requireNonNull(keepalive, "keepalive");
    Objects.requireNonNull(sessionExpires, "sessionExpires");
    Objects.requireNonNull(userAgent, "userAgent");
    if (callerId == null) callerId = user;
    if (proxyHost != null && (proxyPort < 1 || proxyPort > 65535)) {
      throw new IllegalArgumentException("proxy port " + proxyPort + " is not a port (1..65535)");
    }
    if (localPortMin < 1 || localPortMax > 65535 || localPortMin > localPortMax) {
      throw new IllegalArgumentException("local SIP ports " + localPortMin + ".." + localPortMax
          + " are not a range of ports (1..65535)");
    }
    if (register && proxyHost == null) {
      throw new IllegalArgumentException("registration needs a proxy (registrar) host");
    }
    if (registerExpires.toSeconds() < 1) {
      throw new IllegalArgumentException("registerExpires is " + registerExpires + ", expected ≥ 1 s");
    }
    if (registerRetryMin.isNegative() || registerRetryMin.isZero() || registerRetryMax.compareTo(registerRetryMin) < 0) {
      throw new IllegalArgumentException("register retry " + registerRetryMin + ".." + registerRetryMax
          + " is not a positive range");
    }
    if (keepalive.isNegative()) throw new IllegalArgumentException("keepalive is " + keepalive + ", expected ≥ 0");
    if (!sessionExpires.isZero() && sessionExpires.compareTo(MIN_SESSION_EXPIRES) < 0) {
      throw new IllegalArgumentException("sessionExpires is " + sessionExpires.toSeconds()
          + " s, expected 0 (off) or ≥ 90 s (RFC 4028)");
    }
    if (stackThreads < 1 || stackThreads > 64) {
      throw new IllegalArgumentException("stackThreads is " + stackThreads + ", expected 1..64");
    }
  }

  private static boolean isToken(String v) {
    return !v.isBlank() && v.matches("[A-Za-z0-9._~+\\-!$&'()*,;=%]+");
  }

  private static void requireToken(String what, String v) {
    Objects.requireNonNull(v, what);
    if (!isToken(v)) {
      throw new IllegalArgumentException(what + " '" + v.replaceAll("\\p{Cntrl}", "?")
          + "' is not a valid SIP user or host");
    }
  }

  /** The public address's host, or null. */
  String publicHost() {
    if (publicAddress == null) return null;
    return HostPort.parse(publicAddress, 0).host();
  }

  /** The public address's port, or 0 when it names none. */
  int publicPort() {
    if (publicAddress == null) return 0;
    return HostPort.parse(publicAddress, 0).port();
  }

  /**
   * SPEC's settings: {@code EXOLVE_SIP_USER} (required), {@code EXOLVE_SIP_PASS}, {@code EXOLVE_SIP_DOMAIN},
   * {@code EXOLVE_SIP_PROXY}, {@code EXOLVE_CALLER_ID}, {@code SIP_TRANSPORT}, {@code SIP_LOCAL_PORT},
   * {@code SIP_PUBLIC_ADDRESS}, {@code SIP_KEEPALIVE_S}, and our tuning ({@code SIP_BIND_ADDRESS},
   * {@code SIP_REGISTER}, {@code SIP_REGISTER_EXPIRES_S}, {@code SIP_REGISTER_RETRY_MIN_S},
   * {@code SIP_REGISTER_RETRY_MAX_S}, {@code SIP_KEEPALIVE_METHOD}, {@code SIP_SESSION_EXPIRES_S},
   * {@code SIP_STACK_THREADS}).
   *
   * @throws ConfigException naming the variable that is missing or malformed
   */
  public static SipConfig fromSettings(Settings s) {
    String user = s.required("EXOLVE_SIP_USER", "for the SIP user agent");
    if (!isToken(user)) {
      throw new ConfigException("EXOLVE_SIP_USER", "EXOLVE_SIP_USER is not a valid SIP user name");
    }
    String domain = s.string("EXOLVE_SIP_DOMAIN", "sip.exolve.ru");
    if (!isToken(domain)) {
      throw new ConfigException("EXOLVE_SIP_DOMAIN", "EXOLVE_SIP_DOMAIN '" + domain.replaceAll("\\p{Cntrl}", "?")
          + "' is not a host name");
    }
    SipTransport transport = SipTransport.valueOf(
        s.choice("SIP_TRANSPORT", "udp", "udp", "tcp", "tls").toUpperCase(Locale.ROOT));
    HostPort proxy;
    try {
      proxy = HostPort.parse(s.string("EXOLVE_SIP_PROXY", domain), transport.defaultPort());
    } catch (IllegalArgumentException e) {
      throw new ConfigException("EXOLVE_SIP_PROXY", "EXOLVE_SIP_PROXY: " + e.getMessage());
    }
    int min = 5060;
    int max = 5080;
    if (s.isSet("SIP_LOCAL_PORT")) {
      min = s.integer("SIP_LOCAL_PORT", 5060, 1, 65535);
      max = min;
    }
    String publicAddress = s.get("SIP_PUBLIC_ADDRESS").orElse(null);
    if (publicAddress != null) {
      try {
        HostPort.parse(publicAddress, 0);
      } catch (IllegalArgumentException e) {
        throw new ConfigException("SIP_PUBLIC_ADDRESS", "SIP_PUBLIC_ADDRESS: " + e.getMessage());
      }
    }
    int sessionExpires = s.integer("SIP_SESSION_EXPIRES_S", 1800, 0, 86400);
    if (sessionExpires != 0 && sessionExpires < 90) {
      throw new ConfigException("SIP_SESSION_EXPIRES_S", "SIP_SESSION_EXPIRES_S is " + sessionExpires
          + ", expected 0 (off) or 90..86400 (RFC 4028)");
    }
    int retryMin = s.integer("SIP_REGISTER_RETRY_MIN_S", 5, 1, 3600);
    int retryMax = s.integer("SIP_REGISTER_RETRY_MAX_S", 300, 1, 86400);
    if (retryMax < retryMin) {
      throw new ConfigException("SIP_REGISTER_RETRY_MAX_S", "SIP_REGISTER_RETRY_MAX_S is " + retryMax
          + ", expected ≥ SIP_REGISTER_RETRY_MIN_S (" + retryMin + ")");
    }
    try {
      return new SipConfig(
          user,
          s.secret("EXOLVE_SIP_PASS").orElse(null),
          domain,
          proxy.host(),
          proxy.port(),
          s.string("EXOLVE_CALLER_ID", user),
          transport,
          s.get("SIP_BIND_ADDRESS").orElse(null),
          min,
          max,
          publicAddress,
          s.bool("SIP_REGISTER", true),
          s.seconds("SIP_REGISTER_EXPIRES_S", 3600, 60, 86400),
          Duration.ofSeconds(retryMin),
          Duration.ofSeconds(retryMax),
          s.seconds("SIP_KEEPALIVE_S", 25, 0, 3600),
          s.choice("SIP_KEEPALIVE_METHOD", "crlf", "crlf", "options").equals("options"),
          Duration.ofSeconds(sessionExpires),
          s.integer("SIP_STACK_THREADS", 2, 1, 64),
          "voice-agent");
    } catch (IllegalArgumentException e) {
      throw new ConfigException("EXOLVE_SIP_USER", "SIP settings are not valid: " + e.getMessage());
    }
  }

  /** A builder with SPEC's defaults, for embedders and tests. */
  public static Builder builder(String user, String domain) {
    return new Builder(user, domain);
  }

  /** Builds a {@link SipConfig}; every field starts at SPEC's default (registration off without a proxy). */
  public static final class Builder {
    private final String user;
    private final String domain;
    private Secret password;
    private String proxyHost;
    private int proxyPort;
    private String callerId;
    private SipTransport transport = SipTransport.UDP;
    private String bindAddress;
    private int localPortMin = 5060;
    private int localPortMax = 5080;
    private String publicAddress;
    private Boolean register;
    private Duration registerExpires = Duration.ofSeconds(3600);
    private Duration registerRetryMin = Duration.ofSeconds(5);
    private Duration registerRetryMax = Duration.ofMinutes(5);
    private Duration keepalive = Duration.ofSeconds(25);
    private boolean keepaliveOptions;
    private Duration sessionExpires = Duration.ofSeconds(1800);
    private int stackThreads = 2;
    private String userAgent = "voice-agent";

    private Builder(String user, String domain) {
      this.user = user;
      this.domain = domain;
    }

    public Builder password(Secret password) {
      this.password = password;
      return this;
    }

    /** Sends REGISTER and every request to {@code host:port}; registration is on unless turned off. */
    public Builder proxy(String host, int port) {
      this.proxyHost = host;
      this.proxyPort = port;
      return this;
    }

    public Builder callerId(String callerId) {
      this.callerId = callerId;
      return this;
    }

    public Builder transport(SipTransport transport) {
      this.transport = transport;
      return this;
    }

    public Builder bindAddress(String ip) {
      this.bindAddress = ip;
      return this;
    }

    /** One fixed local port. */
    public Builder localPort(int port) {
      this.localPortMin = port;
      this.localPortMax = port;
      return this;
    }

    /** The first free port of {@code min..max}. */
    public Builder localPorts(int min, int max) {
      this.localPortMin = min;
      this.localPortMax = max;
      return this;
    }

    public Builder publicAddress(String hostPort) {
      this.publicAddress = hostPort;
      return this;
    }

    public Builder register(boolean register) {
      this.register = register;
      return this;
    }

    public Builder registerExpires(Duration d) {
      this.registerExpires = d;
      return this;
    }

    public Builder registerRetry(Duration min, Duration max) {
      this.registerRetryMin = min;
      this.registerRetryMax = max;
      return this;
    }

    /** Zero turns the keepalive off; {@code options} sends OPTIONS instead of CRLF. */
    public Builder keepalive(Duration every, boolean options) {
      this.keepalive = every;
      this.keepaliveOptions = options;
      return this;
    }

    /** RFC 4028 session interval to ask for; zero turns session timers off. */
    public Builder sessionExpires(Duration d) {
      this.sessionExpires = d;
      return this;
    }

    public Builder stackThreads(int n) {
      this.stackThreads = n;
      return this;
    }

    public Builder userAgent(String userAgent) {
      this.userAgent = userAgent;
      return this;
    }

    public SipConfig build() {
      boolean reg = register != null ? register : proxyHost != null;
      return new SipConfig(user, password, domain, proxyHost, proxyPort, callerId, transport, bindAddress,
          localPortMin, localPortMax, publicAddress, reg, registerExpires, registerRetryMin, registerRetryMax,
          keepalive, keepaliveOptions, sessionExpires, stackThreads, userAgent);
    }
  }

  @Override public String toString() {
    return "SipConfig[user=" + user + ", domain=" + domain + ", proxy=" + (proxyHost == null ? "none" : proxyHost + ":" + proxyPort)
        + ", transport=" + transport.wireName() + ", ports=" + localPortMin + ".." + localPortMax
        + ", public=" + publicAddress + ", register=" + register + ", password=" + (password == null ? "none" : "****") + "]";
  }
}
