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
 * A stand-in for our own RTP engine port (voice-rtp is built in parallel): it hands out even ports from a
 * range, records what the SIP side asks of each session and whether it was closed. No packets flow.
 */
final class FakeRtpEngine implements RtpEngine {
  private final int portMin;
  private final int portMax;
  private final Set<Integer> inUse = ConcurrentHashMap.newKeySet();
  final List<FakeSession> sessions = new CopyOnWriteArrayList<>();
  private volatile boolean closed;

  FakeRtpEngine() {
    this(40000, 40998);
  }

  FakeRtpEngine(int portMin, int portMax) {
    this.portMin = portMin;
    this.portMax = portMax;
  }

  @Override public synchronized RtpSession open(RtpSession.Listener listener) {
    if (closed) throw new IllegalStateException("engine closed");
    for (int p = portMin; p + 1 <= portMax; p += 2) {
      if (inUse.add(p)) {
        FakeSession s = new FakeSession(p, listener);
        sessions.add(s);
        return s;
      }
    }
    throw new RtpPortsExhaustedException(portMin, portMax);
  }

  /** Ports handed out and not given back. */
  @Override public int portsInUse() {
    return inUse.size();
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
    final List<String> starts = new CopyOnWriteArrayList<>();
    final List<MediaDirection> directions = new CopyOnWriteArrayList<>();
    final List<String> dtmf = new CopyOnWriteArrayList<>();
    volatile MediaHandler handler;
    volatile boolean closed;

    FakeSession(int port, RtpSession.Listener listener) {
      this.port = port;
      this.listener = listener;
    }

    @Override public int localPort() {
      return port;
    }

    @Override public void start(InetSocketAddress remote, RtpCodec codec, int telephoneEventPayloadType) {
      starts.add(remote.getAddress().getHostAddress() + ":" + remote.getPort() + " " + codec + " " + telephoneEventPayloadType);
    }

    @Override public void setDirection(MediaDirection direction) {
      directions.add(direction);
    }

    @Override public void sendDtmf(String digits) {
      dtmf.add(digits);
    }

    @Override public MediaStats stats() {
      return new MediaStats("PCMA", null, 0, 0, 0, 0, 0, 0);
    }

    @Override public void attach(MediaHandler handler) {
      this.handler = handler;
    }

    @Override public void close() {
      if (closed) return;
      closed = true;
      inUse.remove(port);
    }

    List<String> starts() {
      return new ArrayList<>(starts);
    }
  }
}
