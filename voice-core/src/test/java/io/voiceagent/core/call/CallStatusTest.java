package io.voiceagent.core.call;

import static io.voiceagent.core.call.CallStatus.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CallStatusTest {
  private static final Set<CallStatus> ENDINGS_BEFORE_ANSWER = EnumSet.of(BUSY, REJECTED, NO_ANSWER, CANCELED, FAILED);

  /** SPEC's state machine written out by hand, independent of the production switch. */
  private static final Map<CallStatus, Set<CallStatus>> LEGAL = Map.of(
      DIALING, union(EnumSet.of(RINGING, EARLY_MEDIA, ANSWERED), ENDINGS_BEFORE_ANSWER),
      RINGING, union(EnumSet.of(EARLY_MEDIA, ANSWERED), ENDINGS_BEFORE_ANSWER),
      EARLY_MEDIA, union(EnumSet.of(RINGING, ANSWERED), ENDINGS_BEFORE_ANSWER),
      ANSWERED, EnumSet.of(COMPLETED),
      COMPLETED, EnumSet.noneOf(CallStatus.class),
      BUSY, EnumSet.noneOf(CallStatus.class),
      REJECTED, EnumSet.noneOf(CallStatus.class),
      NO_ANSWER, EnumSet.noneOf(CallStatus.class),
      CANCELED, EnumSet.noneOf(CallStatus.class),
      FAILED, EnumSet.noneOf(CallStatus.class));

  private static Set<CallStatus> union(Set<CallStatus> a, Set<CallStatus> b) {
    EnumSet<CallStatus> u = EnumSet.copyOf(a);
    u.addAll(b);
    return u;
  }

  @Test void givenEveryPairOfStates_whenTransitioning_thenOnlySpecTransitionsAreLegal() {
    int checked = 0;
    for (CallStatus from : values()) {
      for (CallStatus to : values()) {
        boolean expected = LEGAL.get(from).contains(to);
        assertEquals(expected, from.canTransitionTo(to), from + " → " + to);
        if (expected) {
          assertEquals(to, from.transitionTo(to));
        } else {
          IllegalStateException e = assertThrows(IllegalStateException.class, () -> from.transitionTo(to));
          assertTrue(e.getMessage().contains(from.wireName()) && e.getMessage().contains(to.wireName()),
              "message names both states: " + e.getMessage());
        }
        checked++;
      }
    }
    assertEquals(100, checked);
  }

  @Test void givenFinalStates_whenAsked_thenAbsorbing() {
    for (CallStatus s : values()) {
      assertEquals(s.ordinal() >= COMPLETED.ordinal(), s.isFinal(), s.name());
    }
  }

  @Test void givenWireNames_whenParsed_thenRoundTrip() {
    for (CallStatus s : values()) assertEquals(s, fromWireName(s.wireName()));
    assertEquals("early_media", EARLY_MEDIA.wireName());
    assertThrows(IllegalArgumentException.class, () -> fromWireName("ringingg"));
  }
}
