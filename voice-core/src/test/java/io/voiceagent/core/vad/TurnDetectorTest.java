package io.voiceagent.core.vad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TurnDetectorTest {
  /** A 440 Hz tone with a syllable-like 4 Hz envelope (a steady tone would pass for noise). */
  private static short[] tone(int frames, int amplitude) {
    short[] s = new short[frames * 160];
    for (int i = 0; i < s.length; i++) {
      double t = i / 8000.0;
      double envelope = 0.55 + 0.45 * Math.sin(2 * Math.PI * 4 * t);
      s[i] = (short) (amplitude * envelope * Math.sin(2 * Math.PI * 440 * t));
    }
    return s;
  }

  /** Frame indexes where a turn ended. */
  private static List<Integer> turns(TurnDetector d, short[]... parts) {
    List<Integer> ends = new ArrayList<>();
    int frame = 0;
    for (short[] p : parts) {
      for (int off = 0; off + 160 <= p.length; off += 160, frame++) {
        if (d.process(p, off)) ends.add(frame);
      }
    }
    return ends;
  }

  @Test void givenTwoUtterancesWithAPause_whenProcessed_thenTwoTurnsEndAfterTheHangover() {
    TurnDetector d = new TurnDetector(VadConfig.DEFAULT.withTiming(40, 500), 200);
    List<Integer> ends = turns(d, tone(10, 0), tone(40, 6000), tone(50, 0), tone(30, 6000), tone(50, 0));
    assertEquals(2, ends.size(), ends.toString());
    // the first utterance ends at frame 50; the turn is declared within the 500 ms hangover plus a frame or two
    assertTrue(ends.get(0) >= 50 + 20 && ends.get(0) <= 50 + 27, ends.toString());
  }

  @Test void givenAClick_whenProcessed_thenNoTurn() {
    TurnDetector d = new TurnDetector(VadConfig.DEFAULT.withTiming(40, 300), 200);
    assertEquals(List.of(), turns(d, tone(10, 0), tone(4, 8000), tone(40, 0)));
  }

  @Test void givenSilenceOnly_whenProcessed_thenNoTurnAndNotSpeaking() {
    TurnDetector d = new TurnDetector(VadConfig.DEFAULT, 100);
    assertEquals(List.of(), turns(d, tone(100, 0)));
    assertTrue(!d.isSpeaking());
  }
}
