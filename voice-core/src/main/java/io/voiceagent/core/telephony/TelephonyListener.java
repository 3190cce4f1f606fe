package io.voiceagent.core.telephony;

/**
 * Events of one call, from the telephony adapter to the core. Called on the adapter's thread: the core
 * records the change and returns at once. Provisional events may repeat; {@link #ended} comes exactly once
 * and last.
 */
public interface TelephonyListener {
  /** 180 (or 183 without SDP). */
  void ringing();

  /** 183 with SDP: media flows but nobody has answered; the AI stays closed. */
  void earlyMedia();

  /** 200 OK: the call's audio is {@code media}; attach a handler to it. */
  void answered(MediaStream media);

  /** A DTMF digit from the far end (0-9, *, #, A-D). */
  default void dtmfReceived(char digit) {}

  /** The provider's own id for the call (Exolve's call_id). */
  default void externalId(String id) {}

  /** The call is over on the telephony side; nothing of it remains open in the adapter. */
  void ended(TelephonyEnd end);
}
