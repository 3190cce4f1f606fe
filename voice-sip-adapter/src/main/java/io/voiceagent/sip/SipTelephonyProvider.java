package io.voiceagent.sip;

import io.voiceagent.core.config.ConfigException;
import io.voiceagent.core.config.Settings;
import io.voiceagent.core.spi.TelephonyProvider;
import io.voiceagent.core.telephony.TelephonyPort;
import io.voiceagent.rtp.RtpConfig;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The {@code sip} telephony provider: calls go out through Exolve as a registered SIP user agent
 * ({@link SipUserAgent}). Configured when {@code EXOLVE_SIP_USER} is set and {@code USE_EXOLVE_HTTP} is not
 * true. Listed in {@code META-INF/services/io.voiceagent.core.spi.TelephonyProvider}.
 */
public final class SipTelephonyProvider implements TelephonyProvider {
  /** Cheap: the work happens in {@link #create}. */
  public SipTelephonyProvider() {}

  @Override public String name() {
    return "sip";
  }

  @Override public boolean isConfiguredBy(Settings settings) {
    return settings.isSet("EXOLVE_SIP_USER") && !settings.bool("USE_EXOLVE_HTTP", false);
  }

  /**
   * Starts a user agent from the settings ({@link SipConfig#fromSettings}) with its own RTP engine
   * ({@code RTP_PORT_MIN}, {@code RTP_PORT_MAX}, {@code MEDIA_TIMEOUT_S}) and begins registering.
   *
   * @throws ConfigException naming a missing or malformed setting
   */
  @Override public TelephonyPort create(Settings settings) {
    SipConfig config = SipConfig.fromSettings(settings);
    return SipUserAgent.builder(config).rtpConfig(rtpConfig(settings)).start();
  }

  /** The RTP engine's settings: {@code RTP_PORT_MIN}, {@code RTP_PORT_MAX}, {@code MEDIA_TIMEOUT_S}. */
  public static RtpConfig rtpConfig(Settings settings) {
    int min = settings.integer("RTP_PORT_MIN", 10000, 1024, 65534);
    int max = settings.integer("RTP_PORT_MAX", 20000, 1025, 65535);
    if (min >= max) {
      throw new ConfigException("RTP_PORT_MIN", "RTP_PORT_MIN is " + min + ", expected below RTP_PORT_MAX (" + max + ")");
    }
    try {
      return new RtpConfig(InetAddress.getByName("0.0.0.0"), min, max,
          settings.seconds("MEDIA_TIMEOUT_S", 30, 1, 3600));
    } catch (UnknownHostException e) {
      throw new IllegalStateException("the wildcard address cannot be resolved", e);
    }
  }
}
