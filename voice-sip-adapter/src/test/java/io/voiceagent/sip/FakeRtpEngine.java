package io.voiceagent.sip;

import io.voiceagent.core.telephony.MediaHandler;
import io.voiceagent.core.telephony.MediaStats;
import io.voiceagent.rtp.MediaDirection;
import io.voiceagent.rtp.RtpCodec;
import io.voiceagent.rtp.RtpEngine;
import io.voiceagent.rtp.RtpPortsExhaustedException;
import io.voiceagent.rtp.RtpSession;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Records what the SIP side asks of our own RTP engine port. Standing alone it hands out even ports from a
 * range and moves no packets; {@link #wrapping} puts it in front of the real voice-rtp engine, so packets
 * flow while every call into the engine is still recorded.
 */
final class FakeRtpEngine implements RtpEngine {
  private final int portMin;
  private final int portMax;
  private final RtpEngine real;
  private final Set<Integer> inUse = ConcurrentHashMap.newKeySet();
  final List<FakeSession> sessions = new CopyOnWriteArrayList<>();
  private volatile boolean closed;

  FakeRtpEngine() {
    this(40000, 40998, null);
  }

  private FakeRtpEngine(int portMin, int portMax, RtpEngine real) {
    this.portMin = portMin;
    this.portMax = portMax;
    this.real = real;
  }

  /** Records the calls and forwards them to {@code real} (which the caller closes). */
  static FakeRtpEngine wrapping(RtpEngine real) {
    return new FakeRtpEngine(0, 0, real);
  }

  @Override public synchronized RtpSession open(RtpSession.Listener listener) {
    if (closed) throw new IllegalStateException("engine closed");
    if (real != null) {
      RtpSession s = real.open(listener);
      FakeSession f = new FakeSession(s.localPort(), listener, s);
      sessions.add(f);
      return f;
    }
    for (int p = portMin; p + 1 <= portMax; p += 2) {
      if (inUse.add(p)) {
        FakeSession s = new FakeSession(p, listener, null);
        sessions.add(s);
        return s;
      }
    }
    throw new RtpPortsExhaustedException(portMin, portMax);
  }

  /** Ports handed out and not given back. */
  @Override public int portsInUse() {
    return real != null ? real.portsInUse() : inUse.size();
  }

  FakeSession last() {
    return sessions.get(sessions.size() - 1);
  }

  @Override public void close() {
    closed = true;
  }

  /** What the SIP side did with one session. */
  final class FakeSession implements RtpSession {
    final int port;
    final RtpSession.Listener listener;
    private final RtpSession real;
    final List<String> starts = new CopyOnWriteArrayList<>();
    final List<MediaDirection> directions = new CopyOnWriteArrayList<>();
    final List<String> dtmf = new CopyOnWriteArrayList<>();
    volatile MediaHandler handler;
    volatile boolean closed;

    FakeSession(int port, RtpSession.Listener listener, RtpSession real) {
      this.port = port;
      this.listener = listener;
      this.real = real;
    }

    @Override public int localPort() {
      return port;
    }

    @Override public void start(InetSocketAddress remote, RtpCodec codec, int telephoneEventPayloadType) {
      starts.add(remote.getAddress().getHostAddress() + ":" + remote.getPort() + " " + codec + " " + telephoneEventPayloadType);
      if (real != null) real.start(remote, codec, telephoneEventPayloadType);
    }

    @Override public void setDirection(MediaDirection direction) {
      directions.add(direction);
      if (real != null) real.setDirection(direction);
    }

    @Override public void sendDtmf(String digits) {
      dtmf.add(digits);
      if (real != null) real.sendDtmf(digits);
    }

    @Override public MediaStats stats() {
      return real != null ? real.stats() : new MediaStats("PCMA", null, 0, 0, 0, 0, 0, 0);
    }

    @Override public void attach(MediaHandler handler) {
      this.handler = handler;
      if (real != null) real.attach(handler);
    }

    @Override public void close() {
      if (closed) return;
      closed = true;
      if (real != null) {
        real.close();
      } else {
        inUse.remove(port);
      }
    }

    List<String> starts() {
      return new ArrayList<>(starts);
    }
  }
}
