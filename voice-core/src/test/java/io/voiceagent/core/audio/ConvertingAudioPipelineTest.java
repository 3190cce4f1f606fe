package io.voiceagent.core.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ConvertingAudioPipelineTest {
  private final AudioPipeline pipeline = AudioPipelines.passThrough().create(AudioFormat.PCM_8K, AudioFormat.PCM_8K);

  private static byte[] le(short[] s) {
    byte[] b = new byte[s.length * 2];
    for (int i = 0; i < s.length; i++) {
      b[2 * i] = (byte) s[i];
      b[2 * i + 1] = (byte) (s[i] >> 8);
    }
    return b;
  }

  private static short[] ramp(int n, int start) {
    short[] s = new short[n];
    for (int i = 0; i < n; i++) s[i] = (short) (start + i * 7 - 3000);
    return s;
  }

  @Test void givenCalleeFrame_whenSentUp_thenLittleEndianBytes() {
    short[] frame = ramp(160, 0);
    var out = new ByteArrayOutputStream();
    pipeline.fromCallee(frame, (d, o, l) -> out.write(d, o, l));
    assertArrayEquals(le(frame), out.toByteArray());
  }

  @Test void givenAgentAudioInOddChunks_whenPlayed_thenSameSamplesInFrames() {
    short[] speech = ramp(480, 100);
    byte[] bytes = le(speech);
    int[] cuts = {0, 1, 2, 333, 334, 700, bytes.length};
    for (int i = 0; i + 1 < cuts.length; i++) pipeline.fromAgent(bytes, cuts[i], cuts[i + 1] - cuts[i], 1);
    assertEquals(60, pipeline.queuedMillis());
    short[] out = new short[160];
    for (int f = 0; f < 3; f++) {
      assertTrue(pipeline.toCallee(out));
      for (int i = 0; i < 160; i++) assertEquals(speech[f * 160 + i], out[i]);
    }
    assertFalse(pipeline.toCallee(out));
  }

  @Test void givenFullQueue_whenMoreAudio_thenOldestDroppedAndCounted() {
    AudioPipeline small = new ConvertingAudioPipeline(AudioFormat.PCM_8K, AudioFormat.PCM_8K,
        new AudioPipelines.Pcm16Upstream(), new AudioPipelines.Pcm16Downstream(), 100);
    for (int f = 0; f < 8; f++) {
      short[] frame = new short[160];
      java.util.Arrays.fill(frame, (short) f);
      small.fromAgent(le(frame), 0, 320, 1);
    }
    assertEquals(100, small.queuedMillis());
    assertEquals(3, small.droppedFrames());
    short[] out = new short[160];
    assertTrue(small.toCallee(out));
    assertEquals(3, out[0], "frames 0-2 were the oldest and went first");
  }

  @Test void givenInterruption_whenQueued_thenOnlyLaterEventsPlay() {
    pipeline.fromAgent(le(ramp(320, 0)), 0, 640, 3);
    pipeline.fromAgent(le(ramp(100, 0)), 0, 200, 4); // a partial frame of event 4
    pipeline.interrupt(4);
    assertEquals(0, pipeline.queuedMillis());
    pipeline.fromAgent(le(ramp(160, 0)), 0, 320, 4);
    assertEquals(0, pipeline.queuedMillis(), "late audio of event 4 ignored");
    short[] five = ramp(160, 55);
    pipeline.fromAgent(le(five), 0, 320, 5);
    short[] out = new short[160];
    assertTrue(pipeline.toCallee(out));
    assertArrayEquals(five, out, "no leftover of the interrupted partial frame");
  }

  @Test void givenDrainAction_whenQueueEmpties_thenRunsOnceAfterLastFrame() {
    AtomicInteger ran = new AtomicInteger();
    pipeline.fromAgent(le(ramp(320, 0)), 0, 640, 1);
    pipeline.whenDrained(ran::incrementAndGet);
    short[] out = new short[160];
    assertTrue(pipeline.toCallee(out));
    assertTrue(pipeline.toCallee(out));
    assertEquals(0, ran.get());
    assertFalse(pipeline.toCallee(out));
    assertFalse(pipeline.toCallee(out));
    assertEquals(1, ran.get());
    pipeline.whenDrained(ran::incrementAndGet);
    assertEquals(2, ran.get(), "runs at once when already empty");
  }

  @Test void givenOtherFormats_whenPassThrough_thenRefusedNamingThem() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> AudioPipelines.passThrough().create(AudioFormat.PCM_16K, AudioFormat.PCM_8K));
    assertTrue(e.getMessage().contains("pcm_16000"));
  }

  @Test void givenFormatNames_whenParsed_thenRoundTrip() {
    for (String n : new String[] {"ulaw_8000", "pcm_8000", "pcm_16000", "pcm_22050", "pcm_24000", "pcm_44100", "pcm_48000"}) {
      assertEquals(n, AudioFormat.parse(n).wireName());
    }
    assertThrows(IllegalArgumentException.class, () -> AudioFormat.parse("opus_48000"));
    assertThrows(IllegalArgumentException.class, () -> AudioFormat.parse("ulaw_16000"));
    assertThrows(IllegalArgumentException.class, () -> AudioFormat.parse("pcm_x"));
    assertEquals(640, AudioFormat.PCM_16K.bytesFor(20));
  }
}
