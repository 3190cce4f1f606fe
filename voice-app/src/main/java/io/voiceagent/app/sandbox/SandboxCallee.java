package io.voiceagent.app.sandbox;

import io.voiceagent.core.telephony.MediaHandler;
import io.voiceagent.core.telephony.MediaStream;
import io.voiceagent.core.telephony.TelephonyEnd;
import io.voiceagent.core.telephony.TelephonyListener;
import io.voiceagent.core.vad.TurnDetector;
import io.voiceagent.core.vad.VadConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The person the sandbox calls: picks up, says a short "Алло?", then listens, and answers each turn of the
 * agent with a short reply (a few times at most), like someone on the phone. It is the far end of a real
 * SIP call on loopback: this listener belongs to the callee's own user agent.
 *
 * <p>All audio work runs on the media pacer thread, one 20 ms frame at a time, allocation-free.
 */
final class SandboxCallee implements TelephonyListener {
  private static final Logger log = LoggerFactory.getLogger(SandboxCallee.class);
  private static final int MAX_REPLIES = 3;

  private final String name;

  SandboxCallee(String name) {
    this.name = name;
  }

  @Override public void ringing() {}

  @Override public void earlyMedia() {}

  @Override public void answered(MediaStream media) {
    log.info("sandbox callee {} picked up", name);
    media.attach(new Voice());
  }

  @Override public void ended(TelephonyEnd end) {
    log.info("sandbox callee {}: call over ({})", name, end.reason().wireName());
  }

  /** What the callee says and hears. Pacer thread only. */
  static final class Voice implements MediaHandler {
    private static final int PAUSE_BEFORE_HELLO_FRAMES = 15; // 300 ms after picking up
    private final TurnDetector agentTurns = new TurnDetector(VadConfig.DEFAULT.withTiming(40, 800), 400);
    private short[] speaking = Clips.CALLEE_HELLO;
    private int position;
    private int delayFrames = PAUSE_BEFORE_HELLO_FRAMES;
    private int replies;

    @Override public void calleeAudio(short[] pcm, long nowNanos) {
      // what reaches the callee's ear: the agent. When the agent finishes a turn, answer it.
      if (agentTurns.process(pcm, 0) && speaking == null && replies < MAX_REPLIES) {
        replies++;
        speaking = Clips.CALLEE_REPLY;
        position = 0;
        delayFrames = 10;
      }
    }

    @Override public boolean agentAudio(short[] out) {
      // what the callee says into the phone
      if (speaking == null) return false;
      if (delayFrames > 0) {
        delayFrames--;
        return false;
      }
      int n = Math.min(out.length, speaking.length - position);
      System.arraycopy(speaking, position, out, 0, n);
      java.util.Arrays.fill(out, n, out.length, (short) 0);
      position += n;
      if (position >= speaking.length) speaking = null;
      return true;
    }
  }
}
