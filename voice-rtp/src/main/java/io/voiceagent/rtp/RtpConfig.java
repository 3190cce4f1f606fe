package io.voiceagent.rtp;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * Engine settings.
 *
 * @param bindAddress  local address sessions bind to (the wildcard for all)
 * @param portMin      first RTP port ({@code RTP_PORT_MIN}, even)
 * @param portMax      last RTP port ({@code RTP_PORT_MAX})
 * @param mediaTimeout no RTP this long during a call → {@link RtpSession.Listener#mediaTimeout()}
 *                     ({@code MEDIA_TIMEOUT_S}); paused while the far end holds the call
 */
public record RtpConfig(InetAddress bindAddress, int portMin, int portMax, Duration mediaTimeout) {
  public RtpConfig {
    Objects.requireNonNull(bindAddress, "bindAddress");
    Objects.requireNonNull(mediaTimeout, "mediaTimeout");
    if (portMin < 1024 || portMax > 65535 || portMin >= portMax) {
      throw new IllegalArgumentException("RTP port range " + portMin + ".." + portMax
          + " is not valid: expected 1024 ≤ RTP_PORT_MIN < RTP_PORT_MAX ≤ 65535");
    }
  }
}
