package io.voiceagent.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The shared pacer in virtual time: an hour of pacing in about a second. */
class MediaPacerTest {
  private static final long HOUR = 3_600_000_000_000L;
  private static final long FRAME = MediaPacer.FRAME_NANOS;

  /** Counts its ticks and checks every deadline is exactly on its 20 ms grid. */
  private static final class CountingMember implements MediaPacer.Member {
    long ticks;
    long firstFrame = -1;
    long firstDeadline;
    long lastFrame;
    long skippedFrames;
    long offGrid;

    @Override public void tick(long frame, long deadlineNanos, MediaPacer.Context ctx) {
      if (firstFrame < 0) {
        firstFrame = frame;
        firstDeadline = deadlineNanos;
      } else {
        if (frame != lastFrame + 1) skippedFrames += frame - lastFrame - 1;
        if (deadlineNanos != firstDeadline + (frame - firstFrame) * FRAME) offGrid++;
      }
      lastFrame = frame;
      ticks++;
    }
  }

  @Test void givenOversleepingScheduler_whenPacedForOneHour_thenEverySessionSends180000FramesWithoutDrift() {
    VirtualClock clock = new VirtualClock(42);
    MediaPacer pacer = new MediaPacer(clock);
    List<CountingMember> members = new ArrayList<>();
    for (int i = 0; i < 45; i++) { // more than one per phase
      CountingMember m = new CountingMember();
      members.add(m);
      pacer.add(m);
    }
    clock.runUntil(pacer, clock.nanoTime() + HOUR);
    for (CountingMember m : members) {
      assertEquals(180_000, m.ticks, 1, "frames in one hour");
      assertEquals(0, m.skippedFrames, "no frame skipped: lateness is caught up");
      assertEquals(0, m.offGrid, "deadlines never drift off the 20 ms grid");
    }
    PacerStats stats = pacer.stats();
    assertEquals(0, stats.skippedTicks());
    assertTrue(stats.tickLatenessMaxMicros() >= 50_000, "the test did stall the pacer: " + stats);
  }

  @Test void givenLongStall_whenPacerFallsFarBehind_thenItSkipsAheadAndFramesStillFollowTheClock() {
    VirtualClock clock = new VirtualClock(7);
    MediaPacer pacer = new MediaPacer(clock);
    CountingMember m = new CountingMember();
    pacer.add(m);
    long start = clock.nanoTime();
    clock.stallAt(start + 60_000_000_000L, 500_000_000L); // half a second frozen after a minute
    clock.runUntil(pacer, start + 120_000_000_000L);
    assertTrue(m.skippedFrames >= 20 && m.skippedFrames <= 26, "skipped " + m.skippedFrames + " frames");
    assertEquals(0, m.offGrid, "frame n is still due at t0 + n·20 ms");
    assertEquals(6_000, m.ticks + m.skippedFrames, 1, "frames ticked plus skipped cover the two minutes");
    assertTrue(pacer.stats().skippedTicks() > 0);
  }

  @Test void givenMembersAddedAndRemoved_whenPacing_thenOnlyPresentMembersTick() {
    VirtualClock clock = new VirtualClock(1);
    MediaPacer pacer = new MediaPacer(clock);
    CountingMember stays = new CountingMember();
    CountingMember leaves = new CountingMember();
    pacer.add(stays);
    pacer.add(leaves);
    long start = clock.nanoTime();
    clock.at(start + 1_000_000_000L, () -> pacer.remove(leaves));
    clock.runUntil(pacer, start + 2_000_000_000L);
    assertEquals(100, stays.ticks, 1);
    assertEquals(50, leaves.ticks, 1);
  }
}
