package io.voiceagent.core.telephony;

import io.voiceagent.core.call.CallId;
import java.util.Optional;

/**
 * The phone network as the core sees it: place a call, hang up, send DTMF, report health and media
 * statistics. Implemented by the SIP adapter, the Exolve HTTP adapter and the sandbox.
 *
 * <p>Threading: every method returns quickly and never blocks on the network; the outcome of
 * {@link #dial} arrives later on the {@link TelephonyListener} given with it, on the adapter's own
 * thread. After {@link #hangup} the adapter ends the call on its side (CANCEL before answer, BYE after;
 * a 200 OK that crosses our CANCEL is ACKed and BYEd by the adapter) and still reports
 * {@link TelephonyListener#ended} once.
 */
public interface TelephonyPort extends AutoCloseable {

  /**
   * Places an outbound call. Events for it go to {@code listener}, ending with exactly one
   * {@link TelephonyListener#ended}.
   *
   * @throws io.voiceagent.core.call.TelephonyUnavailableException when calls cannot be placed now
   */
  void dial(DialRequest request, TelephonyListener listener);

  /** Ends the call: CANCEL before answer, BYE after. Unknown or ended calls are ignored. */
  void hangup(CallId callId);

  /** Sends DTMF digits (RFC 4733) on an answered call. */
  void sendDtmf(CallId callId, String digits);

  /** Ready to place calls, and why not when not (e.g. "registration failed: 403 Forbidden"). */
  TelephonyHealth health();

  /** The call's media statistics while its media session exists (and shortly after). */
  default Optional<MediaStats> mediaStats(CallId callId) {
    return Optional.empty();
  }

  /**
   * False where the provider never reports ringing (HTTP-placed calls): the core then prepares the AI
   * session at dial instead of at ringing.
   */
  default boolean reportsRinging() {
    return true;
  }

  /** Provider webhooks the app routes to this port, if it takes any. */
  default Optional<WebhookReceiver> webhooks() {
    return Optional.empty();
  }

  /** Ends every call, un-registers and releases sockets and threads. Idempotent. */
  @Override void close();
}
