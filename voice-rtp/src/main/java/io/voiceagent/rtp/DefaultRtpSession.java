package io.voiceagent.rtp;

import io.voiceagent.core.audio.G711;
import io.voiceagent.core.jitter.JitterBuffer;
import io.voiceagent.core.jitter.JitterConfig;
import io.voiceagent.core.jitter.JitterStats;
import io.voiceagent.core.telephony.MediaHandler;
import io.voiceagent.core.telephony.MediaStats;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One call's media. Three threads meet here, each with its own fields:
 * <ul>
 *   <li>the caller's (SIP adapter, core): {@link #start}, {@link #setDirection}, {@link #attach},
 *       {@link #sendDtmf}, {@link #stats}, {@link #close} — they publish immutable or volatile values;</li>
 *   <li>the {@code rtp-io} thread: {@link #onRtp} and {@link #onRtcp} validate, latch, count and hand audio
 *       to the pacer through a lock-free ring ({@link RxRing});</li>
 *   <li>the {@code media-pacer} thread: {@link #tick} drains the ring into the jitter buffer, polls a 20 ms
 *       frame, runs the handler, and sends RTP (and RTCP when due).</li>
 * </ul>
 * Reception statistics are shared by the receive thread and the pacer (RTCP) under {@link #rxLock}, a lock
 * held for a few arithmetic operations.
 */
final class DefaultRtpSession implements RtpSession, MediaPacer.Member {
  private static final Logger log = LoggerFactory.getLogger(DefaultRtpSession.class);

  static final int FRAME_SAMPLES = MediaHandler.FRAME_SAMPLES;
  static final int RING_SLOTS = 16;
  /** RFC 3550 A.7 with one G.711 stream each way: 5 % of 80 kbit/s (64 payload + 16 headers). */
  static final double RTCP_BANDWIDTH_BYTES = 0.05 * 80_000 / 8;

  /** What {@link #start} negotiated; replaced as a whole. */
  private record Negotiation(InetSocketAddress remote, RtpCodec codec, G711.Law law, int eventPayloadType,
      int generation, boolean sameRemote, long startedNanos) {}

  private final DefaultRtpEngine engine;
  private final RtpIoLoop io;
  private final RtpPortPool.Lease lease;
  private final Listener listener;
  private final PacerClock clock;
  private final long ssrc;
  private final int initialSequence;
  private final int initialTimestamp;
  private final byte[] cname;
  private final long learningWindowNanos;
  private final boolean strictLatching;
  private final long mediaTimeoutNanos;
  private final RxRing ring = new RxRing(RING_SLOTS);
  private final JitterBuffer jitter;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Object latchLock = new Object();
  private final Object rxLock = new Object();

  // written by callers, read by the io and pacer threads
  private volatile Negotiation negotiation;
  private volatile MediaDirection direction = MediaDirection.SENDRECV;
  private volatile MediaHandler handler;
  private volatile InetSocketAddress sendTarget;    // guarded by latchLock for writes
  private volatile InetSocketAddress rtcpTarget;    // guarded by latchLock for writes
  private volatile boolean rtcpTargetLearnt;        // guarded by latchLock for writes

  // rtp-io thread only
  private final SourceLatch latch = new SourceLatch();
  private int latchGeneration = -1;
  private final DtmfReceiver dtmfIn = new DtmfReceiver();
  private final Rtcp.Report report = new Rtcp.Report();
  private long dtmfMalformedSeen;

  // guarded by rxLock
  private final ReceptionStats rx = new ReceptionStats();
  private boolean haveSenderReport;
  private int lastSrMiddle;
  private long lastSrArrivalNanos;
  private long lastPeerRtpNanos;
  private boolean peerRtpSeen;
  private long receivedAtLastReport;
  private int reportsWithoutRtp;
  private double roundTripMillis = Double.NaN;
  private double remoteFractionLost;
  private long remoteCumulativeLost;
  private double remoteJitterMillis;
  private boolean peerBye;

  // written by the io thread only (single writer), read anywhere
  private volatile long rtpAccepted;
  private volatile long droppedBeforeStart;
  private volatile long droppedMalformed;
  private volatile long droppedPayloadType;
  private volatile long droppedForeign;
  private volatile long droppedLearning;
  private volatile long droppedQueueFull;
  private volatile long droppedOversize;
  private volatile long rtcpReceived;
  private volatile long rtcpDropped;
  private volatile long dtmfReceived;

  // media-pacer thread only
  private final RxRing.Sink toJitter = this::offerToJitter;
  private final DtmfSender dtmfOut = new DtmfSender();
  private int appliedGeneration = -1;
  private G711.Law law = G711.Law.ULAW;
  private long startFrame;
  private long lastFrame = Long.MIN_VALUE;
  private long lastSendFrame = Long.MIN_VALUE;
  private long lastSendNanos;
  private long lastRtpSentNanos;
  private boolean rtpSentEver;
  private int sequence;
  private long nextRtcpNanos;
  private boolean rtcpInitial = true;
  private double avgRtcpSize = 100;
  private long lastIntervalNanos = 5_000_000_000L;
  private long timeoutBaseNanos;
  private long seenRtpAccepted;
  private boolean timeoutFired;
  private boolean handlerFailedBefore;

  // written by the pacer only (single writer), read anywhere
  private volatile long packetsSent;
  private volatile long octetsSent;
  private volatile long rtcpSent;
  private volatile long sendErrors;
  private volatile long handlerErrors;

  DefaultRtpSession(DefaultRtpEngine engine, RtpIoLoop io, RtpPortPool.Lease lease, Listener listener, RtpConfig config,
      long ssrc, int initialSequence, int initialTimestamp, String cname) {
    this.engine = engine;
    this.io = io;
    this.lease = lease;
    this.listener = Objects.requireNonNull(listener, "listener");
    this.clock = engine.clock();
    this.ssrc = ssrc;
    this.initialSequence = initialSequence;
    this.initialTimestamp = initialTimestamp;
    this.sequence = initialSequence;
    this.cname = Rtcp.cnameBytes(cname);
    this.learningWindowNanos = config.learningWindow().toNanos();
    this.strictLatching = config.strictLatching();
    this.mediaTimeoutNanos = config.mediaTimeout().toNanos();
    this.jitter = new JitterBuffer(new JitterConfig(config.jitterInitialDelayMillis(), config.jitterMaxDelayMillis()),
        G711.Law.ULAW);
  }

  RtpPortPool.Lease lease() {
    return lease;
  }

  long ssrc() {
    return ssrc;
  }

  // ---------------------------------------------------------------- caller side

  @Override public int localPort() {
    return lease.port();
  }

  @Override public void start(InetSocketAddress remote, RtpCodec codec, int telephoneEventPayloadType) {
    Objects.requireNonNull(remote, "remote");
    Objects.requireNonNull(codec, "codec");
    if (remote.isUnresolved()) {
      throw new IllegalArgumentException("remote RTP address " + remote + " is unresolved, expected an IP address");
    }
    if (remote.getPort() <= 0 || remote.getPort() >= 65535) {
      throw new IllegalArgumentException("remote RTP port is " + remote.getPort() + ", expected 1..65534");
    }
    if (telephoneEventPayloadType != -1 && (telephoneEventPayloadType < 0 || telephoneEventPayloadType > 127
        || telephoneEventPayloadType == codec.payloadType())) {
      throw new IllegalArgumentException("telephone-event payload type is " + telephoneEventPayloadType
          + ", expected -1 (none) or 0..127 other than the codec's " + codec.payloadType());
    }
    if (closed.get()) throw new IllegalStateException("RTP session on port " + localPort() + " is closed");
    G711.Law newLaw = codec == RtpCodec.PCMU ? G711.Law.ULAW : G711.Law.ALAW;
    Negotiation previous;
    Negotiation next;
    synchronized (latchLock) {
      previous = negotiation;
      boolean same = previous != null && previous.remote.equals(remote);
      next = new Negotiation(remote, codec, newLaw, telephoneEventPayloadType,
          previous == null ? 0 : previous.generation + 1, same, clock.nanoTime());
      if (!same) {
        sendTarget = remote;
        rtcpTarget = new InetSocketAddress(remote.getAddress(), remote.getPort() + 1);
        rtcpTargetLearnt = false;
      }
      negotiation = next;
    }
    if (previous == null) {
      log.info("RTP :{} starts toward {} with {} (telephone-event {})", localPort(), address(remote), codec,
          telephoneEventPayloadType < 0 ? "none" : telephoneEventPayloadType);
    } else {
      log.info("RTP :{} renegotiated: {} with {} (telephone-event {}){}", localPort(), address(remote), codec,
          telephoneEventPayloadType < 0 ? "none" : telephoneEventPayloadType,
          next.sameRemote ? ", same address" : ", source learning restarts");
    }
  }

  @Override public void setDirection(MediaDirection newDirection) {
    Objects.requireNonNull(newDirection, "direction");
    MediaDirection old = direction;
    direction = newDirection;
    if (old != newDirection) log.info("RTP :{} far end is now {}", localPort(), newDirection);
  }

  @Override public void attach(MediaHandler newHandler) {
    handler = newHandler;
  }

  @Override public void sendDtmf(String digits) {
    Objects.requireNonNull(digits, "digits");
    if (digits.isEmpty()) throw new IllegalArgumentException("DTMF digits are empty, expected 0-9, *, #, A-D");
    if (closed.get()) throw new IllegalStateException("RTP session on port " + localPort() + " is closed");
    Negotiation n = negotiation;
    if (n == null) {
      throw new IllegalStateException("RTP session on port " + localPort() + " has not started: no far end to send "
          + "DTMF to");
    }
    if (n.eventPayloadType < 0) {
      throw new RtpException("the far end offered no telephone-event payload type: cannot send DTMF '" + digits
          + "' as RFC 4733 events");
    }
    dtmfOut.enqueue(digits);
    log.info("RTP :{} queued DTMF '{}'", localPort(), digits);
  }

  @Override public MediaStats stats() {
    Negotiation n = negotiation;
    JitterStats js = jitter.stats();
    long received;
    long lost;
    double jitterMs;
    synchronized (rxLock) {
      received = rx.received();
      lost = rx.cumulativeLost();
      jitterMs = rx.jitterMillis();
    }
    InetSocketAddress target = sendTarget;
    return new MediaStats(n == null ? null : n.codec.name(), target == null ? null : address(target), packetsSent,
        received, lost, jitterMs, js.late() + js.reordered(), js.concealedMillis());
  }

  @Override public RtpSessionStats detailedStats() {
    MediaStats media = stats();
    Negotiation n = negotiation;
    long duplicates;
    long reordered;
    long sequenceDrops;
    double rtt;
    double fraction;
    long remoteLost;
    double remoteJitter;
    synchronized (rxLock) {
      duplicates = rx.duplicates();
      reordered = rx.reordered();
      sequenceDrops = rx.probationDrops();
      rtt = roundTripMillis;
      fraction = remoteFractionLost;
      remoteLost = remoteCumulativeLost;
      remoteJitter = remoteJitterMillis;
    }
    InetSocketAddress target = sendTarget;
    String learnt = n != null && target != null && !target.equals(n.remote) ? address(target) : null;
    return new RtpSessionStats(media, localPort(), ssrc, n == null ? null : address(n.remote), learnt, octetsSent,
        dtmfOut.digitsSent(), dtmfReceived, droppedBeforeStart, droppedMalformed, droppedPayloadType, droppedForeign,
        droppedLearning, sequenceDrops, droppedQueueFull, droppedOversize, duplicates, reordered, sendErrors,
        handlerErrors, rtcpSent, rtcpReceived, rtcpDropped, rtt, fraction, remoteLost, remoteJitter, jitter.stats());
  }

  @Override public void close() {
    if (!closed.compareAndSet(false, true)) return;
    engine.pacer().remove(this);
    if (negotiation != null) sendBye();
    io.close(this);
    engine.forget(this);
    MediaStats s = stats();
    log.info("RTP :{} closed: sent {}, received {}, lost {}, jitter {} ms, concealed {} ms, dropped {} foreign / {} "
            + "malformed", localPort(), s.packetsSent(), s.packetsReceived(), s.packetsLost(),
        String.format("%.1f", s.jitterMs()), s.concealedMs(), droppedForeign, droppedMalformed);
  }

  boolean isClosed() {
    return closed.get();
  }

  // ---------------------------------------------------------------- rtp-io thread

  /** One datagram on the RTP port. {@code buf} is the receive thread's and is reused after this returns. */
  void onRtp(byte[] buf, int len, InetSocketAddress source, long arrivalNanos, RtpHeader header, boolean truncated) {
    if (closed.get()) return;
    Negotiation n = negotiation;
    if (n == null) {
      droppedBeforeStart++;
      return;
    }
    if (truncated) {
      droppedOversize++;
      return;
    }
    int result = header.parse(buf, 0, len);
    if (result != RtpHeader.OK) {
      droppedMalformed++;
      if (log.isDebugEnabled()) {
        log.debug("RTP :{} dropped a malformed packet from {}: {}", localPort(), source, RtpHeader.describe(result));
      }
      return;
    }
    int pt = header.payloadType;
    boolean event = pt == n.eventPayloadType;
    if (!event && pt != n.codec.payloadType()) {
      droppedPayloadType++;
      if (log.isDebugEnabled()) log.debug("RTP :{} dropped payload type {} from {}", localPort(), pt, source);
      return;
    }
    if (n.generation != latchGeneration) {
      if (n.sameRemote && latchGeneration >= 0) latch.renew(n.startedNanos, learningWindowNanos);
      else latch.reset(n.remote, n.startedNanos, learningWindowNanos, strictLatching);
      latchGeneration = n.generation;
    }
    switch (latch.check(source, header.ssrc, header.sequence, arrivalNanos)) {
      case REJECT:
        droppedForeign++;
        if (log.isDebugEnabled()) log.debug("RTP :{} dropped a packet from foreign source {}", localPort(), source);
        return;
      case PROBATION:
        droppedLearning++;
        return;
      case LEARNT:
        learnt(n, source);
        break;
      default:
        break;
    }
    rtpAccepted = rtpAccepted + 1;
    boolean valid;
    synchronized (rxLock) {
      valid = rx.update(header.ssrc, header.sequence);
      if (valid && !event) rx.updateJitter((int) Math.floorDiv(arrivalNanos, 125_000L), header.timestamp);
      lastPeerRtpNanos = arrivalNanos;
      peerRtpSeen = true;
    }
    if (!valid) return;
    if (event) {
      char digit = dtmfIn.onPacket(header.ssrc, header.timestamp, buf, header.payloadOffset, header.payloadLength,
          arrivalNanos);
      if (digit != 0) {
        dtmfReceived = dtmfReceived + 1;
        log.info("RTP :{} received DTMF '{}'", localPort(), digit);
        try {
          listener.dtmfReceived(digit);
        } catch (RuntimeException e) {
          log.warn("RTP :{} DTMF listener failed", localPort(), e);
        }
      }
      droppedMalformed = droppedMalformed + (dtmfIn.malformed() - dtmfMalformedSeen);
      dtmfMalformedSeen = dtmfIn.malformed();
      return;
    }
    if (header.payloadLength > RxRing.MAX_PAYLOAD) {
      droppedOversize++;
      return;
    }
    if (!ring.offer(header.sequence, header.timestamp, header.ssrc, header.marker, buf, header.payloadOffset,
        header.payloadLength, arrivalNanos)) {
      droppedQueueFull++;
    }
  }

  private void learnt(Negotiation n, InetSocketAddress source) {
    synchronized (latchLock) {
      if (negotiation != n) return; // renegotiated meanwhile: that start() decides the target
      sendTarget = source;
      rtcpTarget = new InetSocketAddress(source.getAddress(), source.getPort() + 1);
      rtcpTargetLearnt = false;
    }
    log.info("RTP :{} latched to {} (SDP said {}) after {} in-sequence packets with one SSRC", localPort(),
        address(source), address(n.remote), SourceLatch.PROBATION);
  }

  /** One datagram on the RTCP port. */
  void onRtcp(byte[] buf, int len, InetSocketAddress source, long arrivalNanos, boolean truncated) {
    if (closed.get()) return;
    Negotiation n = negotiation;
    InetSocketAddress media = sendTarget;
    if (n == null || truncated || media == null || !source.getAddress().equals(media.getAddress())) {
      rtcpDropped = rtcpDropped + 1;
      return;
    }
    if (!Rtcp.parse(buf, 0, len, ssrc, report)) {
      rtcpDropped = rtcpDropped + 1;
      if (log.isDebugEnabled()) log.debug("RTP :{} dropped a malformed RTCP packet from {}", localPort(), source);
      return;
    }
    boolean bye;
    synchronized (rxLock) {
      if (rx.hasSource() && report.senderSsrc != rx.ssrc()) {
        bye = false;
      } else {
        if (report.hasSenderInfo) {
          haveSenderReport = true;
          lastSrMiddle = Rtcp.ntpMiddle(report.senderNtp);
          lastSrArrivalNanos = arrivalNanos;
        }
        if (report.hasBlockForUs) {
          remoteFractionLost = report.fractionLost / 256.0;
          remoteCumulativeLost = report.cumulativeLost;
          remoteJitterMillis = report.jitterUnits / 8.0;
          if (report.lsr != 0) {
            int now = Rtcp.ntpMiddle(Rtcp.ntp(engine.unixNanos(arrivalNanos)));
            int rtt = now - report.lsr - report.dlsr;
            if (rtt >= 0) roundTripMillis = rtt * 1000.0 / 65536.0;
          }
        }
        bye = report.bye && !peerBye;
        if (report.bye) peerBye = true;
      }
    }
    rtcpReceived = rtcpReceived + 1;
    if (!rtcpTargetLearnt && !source.equals(rtcpTarget)) {
      synchronized (latchLock) {
        if (negotiation == n) {
          rtcpTarget = source;
          rtcpTargetLearnt = true;
        }
      }
    }
    if (bye) log.info("RTP :{} far end sent RTCP BYE", localPort());
  }

  // ---------------------------------------------------------------- media-pacer thread

  @Override public void tick(long frame, long deadlineNanos, MediaPacer.Context ctx) {
    if (closed.get()) return;
    Negotiation n = negotiation;
    if (n == null) return;
    long now = ctx.clock.nanoTime();
    if (n.generation != appliedGeneration) apply(n, frame, now);

    ring.drain(toJitter);
    jitter.poll(now, ctx.calleePcm);
    MediaHandler h = handler;
    boolean agent = false;
    if (h != null) {
      try {
        h.calleeAudio(ctx.calleePcm, now);
        agent = h.agentAudio(ctx.agentPcm);
      } catch (RuntimeException e) {
        handlerFailed(e);
        agent = false;
      }
    }
    MediaDirection dir = direction;
    if (dir == MediaDirection.SENDRECV || dir == MediaDirection.RECVONLY) {
      send(frame, n, agent, ctx);
    }
    if (now - nextRtcpNanos >= 0) sendReport(frame, deadlineNanos, now, ctx);
    checkMediaTimeout(now, dir);
  }

  private void apply(Negotiation n, long frame, long now) {
    if (appliedGeneration < 0) {
      startFrame = frame;
      timeoutBaseNanos = now;
      nextRtcpNanos = now + rtcpIntervalNanos(now);
    } else if (!n.sameRemote) {
      timeoutBaseNanos = now;
      timeoutFired = false;
    }
    if (n.law != law) {
      law = n.law;
      jitter.setLaw(law);
    }
    if (n.eventPayloadType < 0) {
      int dropped = dtmfOut.clear();
      if (dropped > 0) log.warn("RTP :{} dropped {} queued DTMF digits: the far end no longer takes telephone-event",
          localPort(), dropped);
    }
    appliedGeneration = n.generation;
  }

  private void offerToJitter(int seq, int ts, long packetSsrc, boolean marker, byte[] payload, int length,
      long arrivalNanos) {
    jitter.offer(seq, ts & 0xFFFF_FFFFL, packetSsrc, marker, payload, 0, length, arrivalNanos);
  }

  private void send(long frame, Negotiation n, boolean agent, MediaPacer.Context ctx) {
    int timestamp = initialTimestamp + (int) ((frame - startFrame) * FRAME_SAMPLES);
    boolean marker = lastFrame != frame - 1; // first packet, or after a pause (hold, pacer skip)
    lastFrame = frame;
    int action = n.eventPayloadType >= 0 ? dtmfOut.tick(timestamp) : DtmfSender.SEND_AUDIO;
    byte[] p = ctx.packet;
    switch (action) {
      case DtmfSender.SEND_NOTHING:
        return;
      case DtmfSender.SEND_EVENT:
        RtpHeader.write(p, 0, dtmfOut.firstPacketOfEvent(), n.eventPayloadType, sequence, dtmfOut.eventTimestamp(),
            ssrc);
        sequence = (sequence + 1) & 0xFFFF;
        dtmfOut.write(p, RtpHeader.HEADER_BYTES, false);
        transmit(frame, RtpHeader.HEADER_BYTES + 4, ctx);
        return;
      case DtmfSender.SEND_EVENT_END:
        RtpHeader.write(p, 0, false, n.eventPayloadType, sequence, dtmfOut.eventTimestamp(), ssrc);
        sequence = (sequence + 1) & 0xFFFF;
        dtmfOut.write(p, RtpHeader.HEADER_BYTES, true);
        for (int i = 0; i < DtmfSender.END_REPEATS; i++) transmit(frame, RtpHeader.HEADER_BYTES + 4, ctx);
        dtmfOut.finishEvent();
        return;
      default:
        RtpHeader.write(p, 0, marker, n.codec.payloadType(), sequence, timestamp, ssrc);
        sequence = (sequence + 1) & 0xFFFF;
        if (agent) {
          G711.encode(law, ctx.agentPcm, 0, p, RtpHeader.HEADER_BYTES, FRAME_SAMPLES);
        } else {
          Arrays.fill(p, RtpHeader.HEADER_BYTES, RtpHeader.HEADER_BYTES + FRAME_SAMPLES, G711.silence(law));
        }
        transmit(frame, RtpHeader.HEADER_BYTES + FRAME_SAMPLES, ctx);
    }
  }

  private void transmit(long frame, int length, MediaPacer.Context ctx) {
    ByteBuffer b = ctx.packetBuffer;
    b.clear().limit(length);
    long now = ctx.clock.nanoTime();
    try {
      if (lease.rtp().send(b, sendTarget) == 0) {
        sendErrors = sendErrors + 1;
        return;
      }
    } catch (IOException e) {
      sendFailed(e);
      return;
    }
    if (lastSendFrame == frame - 1) ctx.sendGapError.record(now - lastSendNanos - MediaPacer.FRAME_NANOS);
    lastSendFrame = frame;
    lastSendNanos = now;
    lastRtpSentNanos = now;
    rtpSentEver = true;
    packetsSent = packetsSent + 1;
    octetsSent = octetsSent + (length - RtpHeader.HEADER_BYTES);
  }

  private void sendFailed(IOException e) {
    if (closed.get()) return;
    sendErrors = sendErrors + 1;
    if (sendErrors == 1) log.warn("RTP :{} send to {} failed: {}", localPort(), sendTarget, e.toString());
    else if (log.isDebugEnabled()) log.debug("RTP :{} send failed: {}", localPort(), e.toString());
  }

  private void handlerFailed(RuntimeException e) {
    handlerErrors = handlerErrors + 1;
    if (!handlerFailedBefore) {
      handlerFailedBefore = true;
      log.warn("RTP :{} media handler failed; silence is sent for that frame", localPort(), e);
    } else if (log.isDebugEnabled()) {
      log.debug("RTP :{} media handler failed again", localPort(), e);
    }
  }

  private void sendReport(long frame, long deadlineNanos, long now, MediaPacer.Context ctx) {
    boolean weSent = rtpSentEver && now - lastRtpSentNanos < 2 * lastIntervalNanos;
    int length = buildReport(ctx.rtcp, weSent, frame, deadlineNanos, now, false);
    ByteBuffer b = ctx.rtcpBuffer;
    b.clear().limit(length);
    try {
      if (lease.rtcp().send(b, rtcpTarget) > 0) rtcpSent = rtcpSent + 1;
    } catch (IOException e) {
      sendFailed(e);
    }
    avgRtcpSize += ((length + Rtcp.UDP_IP_OVERHEAD) - avgRtcpSize) / 16.0;
    rtcpInitial = false;
    nextRtcpNanos = now + rtcpIntervalNanos(now);
  }

  private long rtcpIntervalNanos(long now) {
    boolean weSent = rtpSentEver && now - lastRtpSentNanos < 2 * lastIntervalNanos;
    boolean peerSends;
    boolean peerHeard;
    synchronized (rxLock) {
      peerHeard = peerRtpSeen || rtcpReceived > 0;
      peerSends = peerRtpSeen && now - lastPeerRtpNanos < 2 * lastIntervalNanos;
    }
    int members = peerHeard ? 2 : 1;
    int senders = (weSent ? 1 : 0) + (peerSends ? 1 : 0);
    double seconds = Rtcp.intervalSeconds(members, senders, RTCP_BANDWIDTH_BYTES, weSent, avgRtcpSize, rtcpInitial,
        ThreadLocalRandom.current().nextDouble());
    lastIntervalNanos = (long) (seconds * 1e9);
    return lastIntervalNanos;
  }

  /**
   * Builds SR or RR (with a report block while the far end's source is alive), SDES CNAME and, when
   * {@code bye}, BYE.
   */
  private int buildReport(byte[] b, boolean senderInfo, long frame, long deadlineNanos, long now, boolean bye) {
    boolean block;
    int pos;
    synchronized (rxLock) {
      // a source that sent nothing for five report intervals has timed out (RFC 3550 §6.3.5)
      long received = rx.received();
      if (received != receivedAtLastReport) reportsWithoutRtp = 0; else reportsWithoutRtp++;
      receivedAtLastReport = received;
      block = rx.hasSource() && reportsWithoutRtp < 5;
      long ntp = Rtcp.ntp(engine.unixNanos(now));
      int rtpNow = initialTimestamp + (int) ((frame - startFrame) * FRAME_SAMPLES)
          + (int) ((now - deadlineNanos) / 125_000L);
      pos = Rtcp.writeReportHeader(b, 0, senderInfo, block ? 1 : 0, ssrc, ntp, rtpNow, packetsSent, octetsSent);
      if (block) {
        int lsr = haveSenderReport ? lastSrMiddle : 0;
        int dlsr = haveSenderReport ? Rtcp.toShortNtp(now - lastSrArrivalNanos) : 0;
        rx.writeReportBlock(b, pos, lsr, dlsr);
        pos += 24;
      }
    }
    pos += Rtcp.writeSdes(b, pos, ssrc, cname);
    if (bye) pos += Rtcp.writeBye(b, pos, ssrc);
    return pos;
  }

  private void sendBye() {
    byte[] b = new byte[512];
    long now = clock.nanoTime();
    int length;
    // the pacer no longer ticks this session, so its fields are stable enough for a last report
    boolean weSent = rtpSentEver;
    long frame = lastFrame == Long.MIN_VALUE ? startFrame : lastFrame;
    length = buildReport(b, weSent, frame, now, now, true);
    try {
      lease.rtcp().send(ByteBuffer.wrap(b, 0, length), rtcpTarget);
      rtcpSent = rtcpSent + 1;
    } catch (IOException e) {
      log.debug("RTP :{} RTCP BYE not sent: {}", localPort(), e.toString());
    }
  }

  private void checkMediaTimeout(long now, MediaDirection dir) {
    if (mediaTimeoutNanos <= 0) return;
    long accepted = rtpAccepted;
    if (accepted != seenRtpAccepted) {
      seenRtpAccepted = accepted;
      timeoutBaseNanos = now;
      timeoutFired = false;
      return;
    }
    if (dir != MediaDirection.SENDRECV) {
      // on hold the far end owes us nothing: the clock restarts when the call resumes
      timeoutBaseNanos = now;
      return;
    }
    if (!timeoutFired && now - timeoutBaseNanos >= mediaTimeoutNanos) {
      timeoutFired = true;
      log.info("RTP :{} media timeout: no RTP from {} for {} s", localPort(), address(sendTarget),
          mediaTimeoutNanos / 1_000_000_000L);
      try {
        listener.mediaTimeout();
      } catch (RuntimeException e) {
        log.warn("RTP :{} media timeout listener failed", localPort(), e);
      }
    }
  }

  // ---------------------------------------------------------------- helpers

  static String address(InetSocketAddress a) {
    if (a == null) return null;
    String host = a.getAddress().getHostAddress();
    return (a.getAddress() instanceof Inet6Address ? "[" + host + "]" : host) + ":" + a.getPort();
  }

  @Override public String toString() {
    Negotiation n = negotiation;
    return "RtpSession[:" + localPort() + (closed.get() ? ", closed" : n == null ? ", not started"
        : ", " + n.codec + " → " + address(sendTarget)) + "]";
  }
}
