package io.voiceagent.core.service;

import io.voiceagent.core.audio.AudioSink;
import io.voiceagent.core.amd.AnsweringMachineDetector;
import io.voiceagent.core.audio.AudioPipeline;
import io.voiceagent.core.telephony.MediaHandler;
import io.voiceagent.core.vad.TurnDetector;
import io.voiceagent.core.vad.VadConfig;

/**
 * One answered call's 20 ms media handler. Until the AI is live, callee audio goes to the answer buffer
 * (and the detector watches it); when the AI goes live the buffer is handed over first, in order, on the
 * pacer thread, then live audio follows. Agent audio comes from the pipeline's playout queue.
 */
final class CalleeAudioRouter implements MediaHandler {
  /** The AI side once it is ready: where converted audio goes, and the pipeline that converts it. */
  record Live(AudioPipeline pipeline, AudioSink sink) {}

  private final AnswerBuffer buffer;                              // pacer thread only
  private volatile AnsweringMachineDetector.Detection detection;  // set by call-control, read by pacer
  private volatile Live live;                                     // set by the AI thread, read by pacer
  private boolean handedOver;                                     // pacer thread only
  private volatile boolean forget;                                // set by call-control, cleared by pacer
  private final TurnDetector calleeTurns = new TurnDetector(VadConfig.DEFAULT, 200); // pacer thread only
  /** When the callee last stopped speaking while the agent was silent (pacer clock), or 0; read by the AI thread. */
  private volatile long speechEndedNanos;

  CalleeAudioRouter(int answerBufferMillis) {
    this.buffer = new AnswerBuffer(answerBufferMillis);
  }

  void watch(AnsweringMachineDetector.Detection d) {
    this.detection = d;
  }

  void stopWatching() {
    this.detection = null;
  }

  /**
   * Drops what the answer buffer holds now (a voicemail greeting the agent should not answer); audio from
   * the next frame on is kept as usual.
   */
  void forgetBuffered() {
    this.forget = true;
  }

  void goLive(Live l) {
    this.live = l;
  }

  AudioPipeline pipeline() {
    Live l = live;
    return l == null ? null : l.pipeline();
  }

  @Override public void calleeAudio(short[] pcm, long nowNanos) {
    AnsweringMachineDetector.Detection d = detection;
    if (d != null) d.observe(pcm, nowNanos);
    if (forget) {
      forget = false;
      if (!handedOver) buffer.clear();
    }
    Live l = live;
    if (l == null) {
      buffer.add(pcm);
      return;
    }
    if (!handedOver) {
      handedOver = true;
      buffer.drainTo(frame -> l.pipeline().fromCallee(frame, l.sink()));
    }
    l.pipeline().fromCallee(pcm, l.sink());
    if (calleeTurns.process(pcm, 0) && l.pipeline().queuedMillis() == 0) {
      // a turn the agent must answer: time its answer from the real end of speech, not the VAD's hangover
      speechEndedNanos = nowNanos - calleeTurns.trailingSilenceMillis() * 1_000_000L;
    }
  }

  /**
   * If the callee finished a turn that the agent has not answered yet, returns when it ended and forgets it;
   * else 0. Called on the AI thread when agent audio arrives.
   */
  long takeSpeechEnd() {
    long t = speechEndedNanos;
    if (t != 0) speechEndedNanos = 0;
    return t;
  }

  @Override public boolean agentAudio(short[] out) {
    Live l = live;
    return l != null && l.pipeline().toCallee(out);
  }

  long answerBufferDropped() {
    return buffer.droppedFrames();
  }
}
