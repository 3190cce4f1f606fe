package io.voiceagent.app.sandbox;

import io.voiceagent.core.call.CallId;
import io.voiceagent.core.config.Settings;
import io.voiceagent.core.spi.TelephonyProvider;
import io.voiceagent.core.telephony.DialRequest;
import io.voiceagent.core.telephony.MediaStats;
import io.voiceagent.core.telephony.TelephonyHealth;
import io.voiceagent.core.telephony.TelephonyListener;
import io.voiceagent.core.telephony.TelephonyPort;
import io.voiceagent.rtp.RtpConfig;
import io.voiceagent.rtp.RtpEngine;
import io.voiceagent.sip.InboundDecision;
import io.voiceagent.sip.SipConfig;
import io.voiceagent.sip.SipUserAgent;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Offline telephony: every call goes, as real SIP and RTP over loopback, to an embedded callee built on the
 * project's own SIP stack, which rings briefly and picks up like a person ({@link SandboxCallee}). Nothing
 * leaves the machine and no account is needed. Chosen when no telephony is configured.
 *
 * <p>Two user agents share one RTP engine on 127.0.0.1: ours (the port the core uses, registration off,
 * its "proxy" the callee) and the callee's.
 */
public final class SandboxTelephonyProvider implements TelephonyProvider {
  private static final Logger log = LoggerFactory.getLogger(SandboxTelephonyProvider.class);
  static final Duration RING = Duration.ofMillis(1200);

  @Override public String name() {
    return "sandbox";
  }

  @Override public boolean isConfiguredBy(Settings settings) {
    return false; // the fallback, never "configured"
  }

  @Override public TelephonyPort create(Settings settings) {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    RtpEngine engine = RtpEngine.start(RtpConfig.fromSettings(loopback, settings));
    SipUserAgent callee = null;
    try {
      AtomicInteger answered = new AtomicInteger();
      callee = SipUserAgent.builder(SipConfig.builder("callee", "sandbox.invalid").bindAddress(loopback.getHostAddress())
              .localPorts(25060, 25160).register(false).keepalive(Duration.ZERO, false).userAgent("voice-agent sandbox callee")
              .build())
          .rtpEngine(engine)
          .inboundPolicy(invite -> InboundDecision.accept(CallId.random(),
              new SandboxCallee(invite.requestUser() + "#" + answered.incrementAndGet()), RING))
          .start();
      InetSocketAddress at = callee.localAddress();
      SipUserAgent agent = SipUserAgent.builder(SipConfig.builder("agent", "sandbox.invalid")
              .bindAddress(loopback.getHostAddress()).localPorts(25060, 25160).proxy(at.getHostString(), at.getPort())
              .register(false).keepalive(Duration.ZERO, false).build())
          .rtpEngine(engine)
          .start();
      log.info("sandbox telephony: calls go to an embedded SIP callee at {}:{} (loopback only)", at.getHostString(),
          at.getPort());
      return new Port(agent, callee, engine);
    } catch (RuntimeException e) {
      if (callee != null) callee.close();
      engine.close();
      throw e;
    }
  }

  /** Our user agent as the core's port; closing it also closes the callee and the shared engine. */
  private static final class Port implements TelephonyPort {
    private final SipUserAgent agent;
    private final SipUserAgent callee;
    private final RtpEngine engine;

    Port(SipUserAgent agent, SipUserAgent callee, RtpEngine engine) {
      this.agent = agent;
      this.callee = callee;
      this.engine = engine;
    }

    @Override public void dial(DialRequest request, TelephonyListener listener) {
      agent.dial(request, listener);
    }

    @Override public void hangup(CallId callId) {
      agent.hangup(callId);
    }

    @Override public void sendDtmf(CallId callId, String digits) {
      agent.sendDtmf(callId, digits);
    }

    @Override public TelephonyHealth health() {
      TelephonyHealth h = agent.health();
      return new TelephonyHealth(h.ready(), "sandbox", h.ready() ? "ready" : h.state(),
          Map.of("callee", callee.localAddress().getHostString() + ":" + callee.localAddress().getPort()));
    }

    @Override public Optional<MediaStats> mediaStats(CallId callId) {
      return agent.mediaStats(callId);
    }

    @Override public void close() {
      try {
        agent.close();
      } finally {
        try {
          callee.close();
        } finally {
          engine.close();
        }
      }
    }
  }
}
