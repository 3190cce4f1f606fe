package io.voiceagent.core.service;

import io.voiceagent.core.call.Call;
import io.voiceagent.core.call.CallId;
import io.voiceagent.core.call.TranscriptEntry;
/**
 * Call events for the app, webhooks and metrics. Every method has a no-op default. Listeners are called
 * after the change is recorded, outside any lock, on whichever thread made the change; they must be fast
 * and should not throw (a throw is caught and logged).
 */
public interface CallListener {
  CallListener NONE = new CallListener() {};

  /** The call changed status (dialing, ringing, …, its final status) or another field (AI connected, AMD). */
  default void callUpdated(Call call) {}

  /** A transcript line was added to the call. */
  default void transcript(Call call, TranscriptEntry entry) {}

  /** The callee pressed a key. */
  default void dtmfReceived(CallId id, char digit) {}

  /** The call reached its final status; called exactly once per call, last. */
  default void ended(Call call) {}
}
