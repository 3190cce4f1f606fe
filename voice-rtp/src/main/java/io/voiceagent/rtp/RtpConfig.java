package io.voiceagent.rtp;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * Engine settings.
 *
 * <p>The four-argument constructor is what most callers need; the canonical one and the {@code with…}
 * methods expose the tuning knobs, each with a safe default.
 *
 * @param bindAddress    local address sessions bind to (the wildcard for all)
 * @param portMin        first RTP port ({@code RTP_PORT_MIN}; rounded up to even)
 * @param portMax        last RTP port ({@code RTP_PORT_MAX}); RTCP of the last pair must fit too
 * @param mediaTimeout   no RTP this long during a call → {@link RtpSession.Listener#mediaTimeout()}
 *                       ({@code MEDIA_TIMEOUT_S}); paused while the far end holds the call; zero turns it off
 * @param learningWindow how long after {@link RtpSession#start} media from an address other than the SDP one
 *                       may be learnt (NAT); 3 s by default, zero never learns ({@code RTP_LEARNING_WINDOW_MS})
 * @param strictLatching true: only ever accept media from the SDP address, never learn another
 *                       ({@code RTP_STRICT_LATCHING})
 * @param pacerSpin      how long before each deadline the pacer stops parking and spins; zero (the default)
 *                       only parks, which is enough on a shared 2-core machine ({@code RTP_PACER_SPIN_US})
 * @param ioThreads      receive threads shared by all sessions, 1–4 ({@code RTP_IO_THREADS})
 * @param jitterInitialDelayMillis jitter buffer start delay ({@code RTP_JITTER_INITIAL_MS})
 * @param jitterMaxDelayMillis     jitter buffer cap ({@code RTP_JITTER_MAX_MS})
 */
public record RtpConfig(
    InetAddress bindAddress,
    int portMin,
    int portMax,
    Duration mediaTimeout,
    Duration learningWindow,
    boolean strictLatching,
    Duration pacerSpin,
    int ioThreads,
    int jitterInitialDelayMillis,
    int jitterMaxDelayMillis) {

  /** media.md §4: learn another source only within 3 s of answer or re-INVITE. */
  public static final Duration DEFAULT_LEARNING_WINDOW = Duration.ofSeconds(3);
  /** media.md §7: start at 40 ms, two packets, enough on clean paths (as core's {@code JitterConfig.DEFAULT}). */
  public static final int DEFAULT_JITTER_INITIAL_MILLIS = 40;
  /** media.md §7: cap 200 ms, as Asterisk and FreeSWITCH. */
  public static final int DEFAULT_JITTER_MAX_MILLIS = 200;

  /**
   * The engine's settings from {@code RTP_PORT_MIN}, {@code RTP_PORT_MAX}, {@code MEDIA_TIMEOUT_S},
   * {@code RTP_LEARNING_WINDOW_MS}, {@code RTP_STRICT_LATCHING}, {@code RTP_PACER_SPIN_US},
   * {@code RTP_IO_THREADS}, {@code RTP_JITTER_INITIAL_MS} and {@code RTP_JITTER_MAX_MS}.
   *
   * @throws io.voiceagent.core.config.ConfigException naming the variable that is malformed
   */
  public static RtpConfig fromSettings(InetAddress bindAddress, io.voiceagent.core.config.Settings s) {
    int min = s.integer("RTP_PORT_MIN", 10000, 1024, 65534);
    int max = s.integer("RTP_PORT_MAX", 20000, 1025, 65535);
    if (min >= max) {
      throw new io.voiceagent.core.config.ConfigException("RTP_PORT_MIN",
          "RTP_PORT_MIN is " + min + ", expected below RTP_PORT_MAX (" + max + ")");
    }
    int initial = s.integer("RTP_JITTER_INITIAL_MS", DEFAULT_JITTER_INITIAL_MILLIS, 20, 1000);
    int cap = s.integer("RTP_JITTER_MAX_MS", DEFAULT_JITTER_MAX_MILLIS, 20, 1000);
    if (initial > cap) {
      throw new io.voiceagent.core.config.ConfigException("RTP_JITTER_INITIAL_MS",
          "RTP_JITTER_INITIAL_MS is " + initial + ", expected at most RTP_JITTER_MAX_MS (" + cap + ")");
    }
    return new RtpConfig(bindAddress, min, max, s.seconds("MEDIA_TIMEOUT_S", 30, 0, 3600),
        Duration.ofMillis(s.integer("RTP_LEARNING_WINDOW_MS", (int) DEFAULT_LEARNING_WINDOW.toMillis(), 0, 60_000)),
        s.bool("RTP_STRICT_LATCHING", false),
        Duration.ofNanos(1000L * s.integer("RTP_PACER_SPIN_US", 0, 0, 5000)),
        s.integer("RTP_IO_THREADS", 1, 1, 4), initial, cap);
  }

  public RtpConfig {
    Objects.requireNonNull(bindAddress, "bindAddress");
    Objects.requireNonNull(mediaTimeout, "mediaTimeout");
    Objects.requireNonNull(learningWindow, "learningWindow");
    Objects.requireNonNull(pacerSpin, "pacerSpin");
    if (portMin < 1024 || portMax > 65535 || portMin >= portMax) {
      throw new IllegalArgumentException("RTP port range " + portMin + ".." + portMax
          + " is not valid: expected 1024 ≤ RTP_PORT_MIN < RTP_PORT_MAX ≤ 65535");
    }
    int firstEven = (portMin + 1) & ~1;
    if (firstEven + 1 > portMax) {
      throw new IllegalArgumentException("RTP port range " + portMin + ".." + portMax
          + " holds no even RTP port with its RTCP port above it: widen RTP_PORT_MIN..RTP_PORT_MAX");
    }
    if (mediaTimeout.isNegative()) {
      throw new IllegalArgumentException("MEDIA_TIMEOUT_S is " + mediaTimeout + ", expected zero (off) or more");
    }
    if (learningWindow.isNegative()) {
      throw new IllegalArgumentException("RTP_LEARNING_WINDOW_MS is " + learningWindow + ", expected zero or more");
    }
    if (pacerSpin.isNegative() || pacerSpin.compareTo(Duration.ofMillis(5)) > 0) {
      throw new IllegalArgumentException("RTP_PACER_SPIN_US is " + pacerSpin + ", expected 0..5 ms");
    }
    if (ioThreads < 1 || ioThreads > 4) {
      throw new IllegalArgumentException("RTP_IO_THREADS is " + ioThreads + ", expected 1..4");
    }
    if (jitterInitialDelayMillis < 20 || jitterMaxDelayMillis < jitterInitialDelayMillis
        || jitterMaxDelayMillis > 1000) {
      throw new IllegalArgumentException("jitter buffer delays are " + jitterInitialDelayMillis + " ms initial, "
          + jitterMaxDelayMillis + " ms max: expected 20 ≤ RTP_JITTER_INITIAL_MS ≤ RTP_JITTER_MAX_MS ≤ 1000");
    }
  }

  /** The usual settings with every tuning knob at its default. */
  public RtpConfig(InetAddress bindAddress, int portMin, int portMax, Duration mediaTimeout) {
    this(bindAddress, portMin, portMax, mediaTimeout, DEFAULT_LEARNING_WINDOW, false, Duration.ZERO, 1,
        DEFAULT_JITTER_INITIAL_MILLIS, DEFAULT_JITTER_MAX_MILLIS);
  }

  public RtpConfig withLearningWindow(Duration window) {
    return new RtpConfig(bindAddress, portMin, portMax, mediaTimeout, window, strictLatching, pacerSpin, ioThreads,
        jitterInitialDelayMillis, jitterMaxDelayMillis);
  }

  public RtpConfig withStrictLatching(boolean strict) {
    return new RtpConfig(bindAddress, portMin, portMax, mediaTimeout, learningWindow, strict, pacerSpin, ioThreads,
        jitterInitialDelayMillis, jitterMaxDelayMillis);
  }

  public RtpConfig withPacerSpin(Duration spin) {
    return new RtpConfig(bindAddress, portMin, portMax, mediaTimeout, learningWindow, strictLatching, spin, ioThreads,
        jitterInitialDelayMillis, jitterMaxDelayMillis);
  }

  public RtpConfig withIoThreads(int threads) {
    return new RtpConfig(bindAddress, portMin, portMax, mediaTimeout, learningWindow, strictLatching, pacerSpin,
        threads, jitterInitialDelayMillis, jitterMaxDelayMillis);
  }

  public RtpConfig withJitterDelays(int initialMillis, int maxMillis) {
    return new RtpConfig(bindAddress, portMin, portMax, mediaTimeout, learningWindow, strictLatching, pacerSpin,
        ioThreads, initialMillis, maxMillis);
  }

  /** The first even port of the range. */
  int firstPort() {
    return (portMin + 1) & ~1;
  }
}
