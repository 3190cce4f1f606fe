package io.voiceagent.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DtmfTest {
  private static final long SSRC = 42;
  private final DtmfReceiver rx = new DtmfReceiver();
  private long now;

  private char packet(int ts, int event, boolean end, int duration) {
    byte[] p = {(byte) event, (byte) ((end ? 0x80 : 0) | 10), (byte) (duration >> 8), (byte) duration};
    now += 20_000_000L;
    return rx.onPacket(SSRC, ts, p, 0, 4, now);
  }

  @Test void givenStartUpdatesAndTripleEnd_whenReceived_thenOneDigit() {
    List<Character> digits = new ArrayList<>();
    int[] durations = {160, 480, 800};
    for (int d : durations) collect(digits, packet(1000, 5, false, d));
    for (int i = 0; i < 3; i++) collect(digits, packet(1000, 5, true, 800));
    assertEquals(List.of('5'), digits);
    assertFalse(rx.inProgress(now));
  }

  @Test void givenSameDigitTwice_whenReceived_thenTwoDigitsByTimestamp() {
    List<Character> digits = new ArrayList<>();
    collect(digits, packet(1000, 11, false, 160));
    collect(digits, packet(1000, 11, true, 800));
    collect(digits, packet(2280, 11, false, 160));
    collect(digits, packet(2280, 11, true, 800));
    assertEquals(List.of('#', '#'), digits);
  }

  @Test void givenStartPacketLost_whenOnlyEndPacketsArrive_thenDigitStillReportedOnce() {
    List<Character> digits = new ArrayList<>();
    for (int i = 0; i < 3; i++) collect(digits, packet(7, 10, true, 800));
    assertEquals(List.of('*'), digits);
  }

  @Test void givenZeroDurationOrUnsupportedEvent_whenReceived_thenIgnored() {
    assertEquals(0, packet(1, 3, false, 0));
    assertEquals(0, packet(2, 16, false, 160)); // flash: not a digit
    assertEquals(1, rx.unsupported());
    assertEquals(0, rx.digits());
  }

  @Test void givenShortPayload_whenReceived_thenCountedMalformed() {
    assertEquals(0, rx.onPacket(SSRC, 1, new byte[3], 0, 3, 0));
    assertEquals(1, rx.malformed());
  }

  @Test void givenEndPacketsLost_whenNoPacketForThreeIntervals_thenEventEnds() {
    packet(1000, 1, false, 160);
    assertTrue(rx.inProgress(now));
    assertFalse(rx.inProgress(now + DtmfReceiver.END_WITHOUT_E_NANOS + 1));
    assertEquals(0, packet(1000, 1, false, 480), "a late update of the ended event is no new digit");
  }

  @Test void givenDigits_whenSent_thenStartUpdatesTripleEndAndGapFollowRfc4733() {
    DtmfSender tx = new DtmfSender();
    tx.enqueue("7#");
    List<String> script = new ArrayList<>();
    byte[] p = new byte[4];
    for (int tick = 0; tick < 20; tick++) {
      int ts = 1000 + 160 * tick;
      int action = tx.tick(ts);
      switch (action) {
        case DtmfSender.SEND_AUDIO: script.add("audio"); break;
        case DtmfSender.SEND_NOTHING: script.add("-"); break;
        case DtmfSender.SEND_EVENT:
          tx.write(p, 0, false);
          script.add((tx.firstPacketOfEvent() ? "M " : "") + "ev" + p[0] + " ts" + tx.eventTimestamp() + " d"
              + (((p[2] & 0xFF) << 8) | (p[3] & 0xFF)) + " vol" + (p[1] & 0x3F));
          break;
        default:
          tx.write(p, 0, true);
          assertTrue((p[1] & 0x80) != 0);
          script.add("END ev" + p[0] + " ts" + tx.eventTimestamp() + " d" + (((p[2] & 0xFF) << 8) | (p[3] & 0xFF)) + " x"
              + DtmfSender.END_REPEATS);
          tx.finishEvent();
      }
    }
    assertEquals(List.of(
        "M ev7 ts1000 d160 vol10", "-", "ev7 ts1000 d480 vol10", "-", "END ev7 ts1000 d800 x3",
        "audio", "audio", "audio",
        "M ev11 ts2280 d160 vol10", "-", "ev11 ts2280 d480 vol10", "-", "END ev11 ts2280 d800 x3",
        "audio", "audio", "audio", "audio", "audio", "audio", "audio"), script);
    assertEquals(2, tx.digitsSent());
  }

  @Test void givenBadDigit_whenQueued_thenNothingQueuedAndErrorNamesIt() {
    DtmfSender tx = new DtmfSender();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> tx.enqueue("12x"));
    assertTrue(e.getMessage().contains("'x'"), e.getMessage());
    assertEquals(0, tx.pending());
  }

  private static void collect(List<Character> digits, char c) {
    if (c != 0) digits.add(c);
  }
}
