package io.voiceagent.core.call;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An immutable snapshot of a call, with SPEC's fields. {@link io.voiceagent.core.service.CallService} makes a new snapshot at each
 * change; readers never see a half-made one.
 *
 * @param sipCode the last final SIP code seen (200 on answer, 486 on busy…), or null
 * @param amd     the answering-machine verdict, or null when detection is off or never ran
 * @param latency how fast the agent came and answered
 */
public record Call(
    CallId id,
    PhoneNumber phoneNumber,
    Direction direction,
    CallStatus status,
    Instant startedAt,
    Instant answeredAt,
    Instant endedAt,
    EndReason endReason,
    String message,
    Integer sipCode,
    boolean aiConnected,
    String conversationId,
    String externalId,
    AmdVerdict amd,
    List<TranscriptEntry> transcript,
    CallLatency latency) {

  public Call {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(phoneNumber, "phoneNumber");
    Objects.requireNonNull(direction, "direction");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(startedAt, "startedAt");
    transcript = List.copyOf(transcript);
    if (latency == null) latency = CallLatency.NONE;
    if (status.isFinal() && (endedAt == null || endReason == null)) {
      throw new IllegalArgumentException("final call " + id + " (" + status.wireName() + ") needs endedAt and endReason");
    }
  }

  /** A new outbound call, {@code dialing}. */
  public static Call dialing(CallId id, PhoneNumber number, Instant now) {
    return new Call(id, number, Direction.OUTBOUND, CallStatus.DIALING, now, null, null, null, null, null,
        false, null, null, null, List.of(), CallLatency.NONE);
  }

  /** This call in {@code next}, checked against the state machine. */
  public Call withStatus(CallStatus next) {
    return new Call(id, phoneNumber, direction, status.transitionTo(next), startedAt, answeredAt, endedAt,
        endReason, message, sipCode, aiConnected, conversationId, externalId, amd, transcript, latency);
  }

  public Call answered(Instant at) {
    return new Call(id, phoneNumber, direction, status.transitionTo(CallStatus.ANSWERED), startedAt, at, endedAt,
        endReason, message, 200, aiConnected, conversationId, externalId, amd, transcript, latency);
  }

  public Call ended(CallStatus finalStatus, EndReason reason, String why, Integer code, Instant at) {
    if (!finalStatus.isFinal()) throw new IllegalArgumentException(finalStatus.wireName() + " is not final");
    return new Call(id, phoneNumber, direction, status.transitionTo(finalStatus), startedAt, answeredAt, at,
        reason, why, code != null ? code : sipCode, aiConnected, conversationId, externalId, amd, transcript, latency);
  }

  /** This call with {@code why} as its {@code message}. */
  public Call withMessage(String why) {
    return new Call(id, phoneNumber, direction, status, startedAt, answeredAt, endedAt, endReason, why, sipCode,
        aiConnected, conversationId, externalId, amd, transcript, latency);
  }

  public Call withSipCode(int code) {
    return new Call(id, phoneNumber, direction, status, startedAt, answeredAt, endedAt, endReason, message, code,
        aiConnected, conversationId, externalId, amd, transcript, latency);
  }

  public Call withAiConnected(String conversation) {
    return new Call(id, phoneNumber, direction, status, startedAt, answeredAt, endedAt, endReason, message, sipCode,
        true, conversation, externalId, amd, transcript, latency);
  }

  public Call withExternalId(String external) {
    return new Call(id, phoneNumber, direction, status, startedAt, answeredAt, endedAt, endReason, message, sipCode,
        aiConnected, conversationId, external, amd, transcript, latency);
  }

  public Call withAmd(AmdVerdict verdict) {
    return new Call(id, phoneNumber, direction, status, startedAt, answeredAt, endedAt, endReason, message, sipCode,
        aiConnected, conversationId, externalId, verdict, transcript, latency);
  }

  public Call withTranscript(TranscriptEntry entry) {
    var more = new ArrayList<TranscriptEntry>(transcript.size() + 1);
    more.addAll(transcript);
    more.add(entry);
    return new Call(id, phoneNumber, direction, status, startedAt, answeredAt, endedAt, endReason, message, sipCode,
        aiConnected, conversationId, externalId, amd, more, latency);
  }

  public Call withLatency(CallLatency l) {
    return new Call(id, phoneNumber, direction, status, startedAt, answeredAt, endedAt, endReason, message, sipCode,
        aiConnected, conversationId, externalId, amd, transcript, l);
  }

  /** Replaces the text of the most recent agent entry that reads {@code original}; unchanged if none does. */
  public Call withCorrectedAgentText(String original, String corrected) {
    for (int i = transcript.size() - 1; i >= 0; i--) {
      TranscriptEntry e = transcript.get(i);
      if (e.role() == TranscriptEntry.Role.AGENT && e.text().equals(original)) {
        var copy = new ArrayList<>(transcript);
        copy.set(i, new TranscriptEntry(e.role(), corrected, e.at()));
        return new Call(id, phoneNumber, direction, status, startedAt, answeredAt, endedAt, endReason, message,
            sipCode, aiConnected, conversationId, externalId, amd, copy, latency);
      }
    }
    return this;
  }

  public boolean isFinal() {
    return status.isFinal();
  }
}
