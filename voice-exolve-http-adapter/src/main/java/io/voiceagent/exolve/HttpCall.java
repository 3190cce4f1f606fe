package io.voiceagent.exolve;

import io.voiceagent.core.call.CallId;
import io.voiceagent.core.call.PhoneNumber;
import io.voiceagent.core.telephony.MediaStream;
import io.voiceagent.core.telephony.TelephonyListener;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;

/**
 * One call placed over HTTP, with its audio leg. Every field is guarded by the port's lock.
 *
 * <pre>
 * QUEUED → PLACING → PLACED → LEG → ANSWERED → ENDED
 *   (any state may end; states only move forward)
 * </pre>
 * {@code QUEUED}: waiting for the pending call's leg (one unmatched call at a time); {@code PLACING}: the
 * call-placing request is in flight; {@code PLACED}: Exolve took it, our leg has not arrived; {@code LEG}: our
 * leg's INVITE was accepted (with our account first, the callee is still to answer); {@code ANSWERED}: the core
 * has the call's audio. An ended call whose leg may still arrive stays <em>quarantined</em>: it keeps the pending
 * slot so a late leg can never be taken for the next call.
 */
final class HttpCall {
  enum State { QUEUED, PLACING, PLACED, LEG, ANSWERED, ENDED }

  final CallId id;
  final PhoneNumber number;
  final TelephonyListener listener;
  final Duration ringTimeout;

  State state = State.QUEUED;
  long placedNanos;              // when the call-placing request was sent
  String externalId;             // Exolve's call_id
  String callSid;                // from its events, a further name an INVITE may carry
  boolean legAccepted;           // we accepted our leg's INVITE
  boolean legEnded;              // ... and that leg has ended
  MediaStream legMedia;          // our leg answered (ACKed)
  boolean calleeAnswered;        // agent first: an event said the callee answered
  boolean ringingReported;
  boolean exolveDone;            // an end event or GetInfo said the call is over at Exolve
  boolean notPlaced;             // the call-placing request certainly placed nothing
  boolean quarantined;           // ended, and its leg may still arrive
  final Set<String> seenEvents = new HashSet<>();
  long lastEventNanos;           // last webhook (or placement) for this call: polling waits for silence
  boolean pollInFlight;
  boolean pollOddityLogged;
  ScheduledFuture<?> legTimer;
  ScheduledFuture<?> causeTimer;
  ScheduledFuture<?> quarantineTimer;

  HttpCall(CallId id, PhoneNumber number, TelephonyListener listener, Duration ringTimeout) {
    this.id = id;
    this.number = number;
    this.listener = listener;
    this.ringTimeout = ringTimeout;
  }

  /** Placed (or being placed) and its leg has not arrived: the leg may still come. */
  boolean awaitingLeg() {
    return (state == State.PLACING || state == State.PLACED) && !legAccepted;
  }

  void cancelTimers() {
    for (ScheduledFuture<?> t : new ScheduledFuture<?>[] {legTimer, causeTimer}) {
      if (t != null) t.cancel(false);
    }
    legTimer = null;
    causeTimer = null;
  }

  @Override public String toString() {
    return "HttpCall[" + id + ", " + state + (externalId == null ? "" : ", call_id " + externalId)
        + (quarantined ? ", quarantined" : "") + "]";
  }
}
