package io.voiceagent.core.telephony;

/**
 * The core's side of a call's 20 ms media tick. Both methods run on the shared media pacer thread, once per
 * tick, in this order, and must never block or allocate in steady state.
 */
public interface MediaHandler {
  /** Samples in one 20 ms frame at 8 kHz. */
  int FRAME_SAMPLES = 160;

  /**
   * One 20 ms frame of callee audio, decoded and with loss concealed. The array belongs to the caller and is
   * reused after this returns: copy what you keep.
   */
  void calleeAudio(short[] pcm, long nowNanos);

  /**
   * Fills {@code out} (160 samples) with the next 20 ms of agent audio.
   *
   * @return false when there is nothing to play (the stream sends silence and {@code out} is ignored)
   */
  boolean agentAudio(short[] out);
}
