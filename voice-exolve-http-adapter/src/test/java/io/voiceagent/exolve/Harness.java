package io.voiceagent.exolve;

import io.voiceagent.sip.Sipp;

import io.voiceagent.core.call.CallId;
import io.voiceagent.core.call.PhoneNumber;
import io.voiceagent.core.config.Settings;
import io.voiceagent.core.telephony.DialRequest;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

/**
 * One Exolve HTTP port as the app would build it (through the provider), aimed at a {@link FakeExolve} API and
 * at sipp on 127.0.0.1 as the registered proxy; registration is off (no registrar in these tests).
 */
final class Harness implements AutoCloseable {
  static final Duration WAIT = Duration.ofSeconds(30);
  static final String SIP_USER = "883140000000000";
  static final String SOURCE = "79990000001";
  static final String CALLEE = "79161234567";

  final FakeExolve api = new FakeExolve();
  final int sippPort = Sipp.freeUdpPort();
  final Map<String, String> settings = new HashMap<>();
  private final List<Sipp> sipps = new CopyOnWriteArrayList<>();
  ExolveHttpTelephony port;

  Harness() {
    settings.put("USE_EXOLVE_HTTP", "true");
    settings.put("EXOLVE_API_KEY", "test-key-0123456789");
    settings.put("EXOLVE_API_URL", api.baseUrl());
    settings.put("EXOLVE_SOURCE_NUMBER", SOURCE);
    settings.put("EXOLVE_NUMBER_CODE", "79990000001");
    settings.put("EXOLVE_CALLBACK_RESOURCE_ID", "1657");
    settings.put("EXOLVE_SIP_USER", SIP_USER);
    settings.put("EXOLVE_SIP_PASS", "s3cret");
    settings.put("EXOLVE_SIP_DOMAIN", "sip.test");
    settings.put("EXOLVE_SIP_PROXY", "127.0.0.1:" + sippPort);
    settings.put("SIP_REGISTER", "false");
    settings.put("SIP_BIND_ADDRESS", "127.0.0.1");
    settings.put("SIP_LOCAL_PORT", Integer.toString(Sipp.freeUdpPort()));
    settings.put("SIP_KEEPALIVE_S", "0");
    settings.put("SIP_SESSION_EXPIRES_S", "0");
    settings.put("RTP_PORT_MIN", "42000");
    settings.put("RTP_PORT_MAX", "42999");
    settings.put("EXOLVE_POLL_INTERVAL_S", "0");
    settings.put("EXOLVE_HTTP_TIMEOUT_S", "5");
  }

  Harness with(String name, String value) {
    if (value == null) {
      settings.remove(name);
    } else {
      settings.put(name, value);
    }
    return this;
  }

  ExolveHttpTelephony start() {
    port = (ExolveHttpTelephony) new ExolveHttpTelephonyProvider().create(Settings.of(settings));
    return port;
  }

  /** Dials {@link #CALLEE} (or {@code number}) with a ring timeout of {@code ringSeconds}. */
  CallId dial(RecordingListener listener, int ringSeconds) {
    return dial(listener, CALLEE, ringSeconds);
  }

  CallId dial(RecordingListener listener, String number, int ringSeconds) {
    CallId id = CallId.random();
    port.dial(new DialRequest(id, new PhoneNumber(number), Duration.ofSeconds(ringSeconds)), listener);
    return id;
  }

  /** sipp as Exolve bringing a leg to our user agent; {@code legInfo} goes into an X-Leg-Info header. */
  Sipp leg(String scenario, String fromUser, String legInfo) {
    Sipp s = Sipp.uacFrom(sippPort, scenario, "127.0.0.1:" + port.userAgent().localAddress().getPort(), SIP_USER,
        Map.of("from_user", fromUser, "leg_info", legInfo));
    sipps.add(s);
    return s;
  }

  /** Delivers one call event as the app would (lower-case headers, raw body). */
  io.voiceagent.core.telephony.WebhookReceiver.Response event(String json) {
    return port.webhooks().orElseThrow().handle(Map.of("content-type", "application/json"),
        json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  /**
   * Waits until sipp's audio reaches our leg: sipp is then past its ACK and waiting for what comes next (a BYE it
   * gets sooner is "unexpected" to it).
   */
  void awaitAudio(CallId id) {
    await("audio from sipp on call " + id, () ->
        port.mediaStats(id).map(io.voiceagent.core.telephony.MediaStats::packetsReceived).orElse(0L) > 5);
  }

  static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
      java.util.concurrent.locks.LockSupport.parkNanos(5_000_000); // between polls of a condition
    }
  }

  @Override public void close() {
    try {
      if (port != null) port.close();
    } finally {
      for (Sipp s : sipps) {
        s.close();
        if (System.getProperty("sipp.trace") != null) System.out.println(s.trace());
      }
      api.close();
    }
  }
}
