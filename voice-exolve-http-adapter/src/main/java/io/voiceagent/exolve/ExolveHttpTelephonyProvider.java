package io.voiceagent.exolve;

import io.voiceagent.core.config.ConfigException;
import io.voiceagent.core.config.Settings;
import io.voiceagent.core.spi.TelephonyProvider;
import io.voiceagent.core.telephony.TelephonyPort;
import io.voiceagent.sip.SipConfig;
import io.voiceagent.sip.SipTelephonyProvider;
import io.voiceagent.sip.SipUserAgent;

/**
 * The {@code exolve-http} telephony provider: calls placed with MTS Exolve's HTTP API ({@code MakeCallback}),
 * their audio brought to our own registered SIP account as an inbound leg, their progress from Exolve's call
 * events ({@code POST /webhooks/exolve/callback}) and {@code GetInfo} polling. Configured by
 * {@code USE_EXOLVE_HTTP=true}; listed in {@code META-INF/services/io.voiceagent.core.spi.TelephonyProvider}.
 *
 * <p>Settings: {@code EXOLVE_API_KEY}, {@code EXOLVE_API_URL}, {@code EXOLVE_SOURCE_NUMBER},
 * {@code EXOLVE_HTTP_METHOD}, {@code EXOLVE_NUMBER_CODE}, {@code EXOLVE_CALLBACK_RESOURCE_ID},
 * {@code EXOLVE_CALLBACK_ORDER}, {@code EXOLVE_WEBHOOK_SECRET}, {@code EXOLVE_SIP_USER} and {@code EXOLVE_SIP_PASS}
 * (the audio leg's account, with the SIP adapter's {@code EXOLVE_SIP_*} and {@code SIP_*} settings), the tuning
 * settings {@code EXOLVE_AGENT_NUMBER}, {@code EXOLVE_LEG_MATCH_HEADER}, {@code EXOLVE_LEG_SOURCES},
 * {@code EXOLVE_LEG_MARGIN_S}, {@code EXOLVE_LEG_CHECK_FROM}, {@code EXOLVE_QUEUE_MAX},
 * {@code EXOLVE_POLL_INTERVAL_S}, {@code EXOLVE_HTTP_TIMEOUT_S}, {@code EXOLVE_CAUSE_WAIT_MS}, and {@code SOCKS5_PROXY}, {@code RTP_PORT_MIN},
 * {@code RTP_PORT_MAX}, {@code MEDIA_TIMEOUT_S}, {@code APP_HOST}. See {@code docs/exolve-http.md}.
 */
public final class ExolveHttpTelephonyProvider implements TelephonyProvider {
  /** Cheap: the work happens in {@link #create}. */
  public ExolveHttpTelephonyProvider() {}

  @Override public String name() {
    return ExolveHttpTelephony.PROVIDER;
  }

  @Override public boolean isConfiguredBy(Settings settings) {
    return settings.bool("USE_EXOLVE_HTTP", false);
  }

  /**
   * Validates the settings, starts the SIP user agent that takes the calls' audio legs (and registers it), and
   * returns the port.
   *
   * @throws ConfigException naming a missing or malformed setting
   */
  @Override public TelephonyPort create(Settings settings) {
    ExolveHttpConfig config = ExolveHttpConfig.fromSettings(settings);
    SipConfig sip = SipConfig.fromSettings(settings);
    if (!sip.register()) {
      org.slf4j.LoggerFactory.getLogger(ExolveHttpTelephonyProvider.class).warn("SIP_REGISTER=false: Exolve can"
          + " bring a call's audio leg only to a registered SIP account; legs will not arrive unless the proxy knows"
          + " where we are");
    }
    return new ExolveHttpTelephony(config, sip.proxyHost(),
        policy -> SipUserAgent.builder(sip).rtpConfig(SipTelephonyProvider.rtpConfig(settings)).inboundPolicy(policy).start(),
        System::nanoTime);
  }
}
