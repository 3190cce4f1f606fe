package io.voiceagent.core.call;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.voiceagent.core.call.EndReason.Outcome;
import org.junit.jupiter.api.Test;

class EndReasonTest {
  @Test void givenAnsweredCall_whenEnded_thenAlwaysCompletedWithItsReason() {
    for (EndReason r : new EndReason[] {EndReason.LOCAL_HANGUP, EndReason.REMOTE_HANGUP, EndReason.AGENT_HANGUP,
        EndReason.AI_DISCONNECTED, EndReason.MACHINE, EndReason.MEDIA_TIMEOUT, EndReason.MAX_DURATION, EndReason.ERROR}) {
      assertEquals(new Outcome(CallStatus.COMPLETED, r), r.outcome(true), r.name());
    }
  }

  @Test void givenUnansweredCall_whenEnded_thenSpecTable() {
    assertEquals(new Outcome(CallStatus.BUSY, EndReason.BUSY), EndReason.BUSY.outcome(false));
    assertEquals(new Outcome(CallStatus.REJECTED, EndReason.REJECTED), EndReason.REJECTED.outcome(false));
    assertEquals(new Outcome(CallStatus.NO_ANSWER, EndReason.NO_ANSWER), EndReason.NO_ANSWER.outcome(false));
    assertEquals(new Outcome(CallStatus.CANCELED, EndReason.LOCAL_HANGUP), EndReason.LOCAL_HANGUP.outcome(false));
    assertEquals(new Outcome(CallStatus.FAILED, EndReason.NOT_FOUND), EndReason.NOT_FOUND.outcome(false));
    assertEquals(new Outcome(CallStatus.FAILED, EndReason.ERROR), EndReason.ERROR.outcome(false));
    assertEquals(new Outcome(CallStatus.FAILED, EndReason.ERROR), EndReason.MEDIA_TIMEOUT.outcome(false));
    assertEquals(new Outcome(CallStatus.FAILED, EndReason.ERROR), EndReason.REMOTE_HANGUP.outcome(false));
  }
}
