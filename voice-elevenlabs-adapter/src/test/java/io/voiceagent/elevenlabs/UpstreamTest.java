package io.voiceagent.elevenlabs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.voiceagent.core.audio.AudioFormat;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The upstream's chunking and its two queues, against a stand-in for OkHttp's send queue. */
class UpstreamTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long MS = 1_000_000L;

  /** OkHttp's queue as the upstream sees it: bytes queued until "the writer" drains them. */
  static final class FakeSocket implements Upstream.FrameSender {
    final List<String> sent = new ArrayList<>();
    long queuedBytes;
    int queuedMessages;
    int maxQueuedMessages;
    boolean closing;

    @Override public long queueSize() {
      return queuedBytes;
    }

    @Override public boolean send(String text) {
      if (closing) return false;
      sent.add(text);
      queuedBytes += text.length();
      queuedMessages++;
      maxQueuedMessages = Math.max(maxQueuedMessages, queuedMessages);
      return true;
    }

    void writerCatchesUp() {
      queuedBytes = 0;
      queuedMessages = 0;
    }

    byte[] audio(int i) throws Exception {
      JsonNode n = JSON.readTree(sent.get(i));
      assertEquals(1, n.size(), "a bare {\"user_audio_chunk\": …}, no type: " + sent.get(i));
      return Base64.getDecoder().decode(n.get("user_audio_chunk").asText());
    }
  }

  private final FakeSocket socket = new FakeSocket();

  /** Feeds {@code millis} of audio in 20 ms pieces, each piece filled with its index. */
  private static int feed(Upstream u, AudioFormat f, int firstPiece, int millis, long nowNanos) {
    int pieces = millis / 20;
    byte[] piece = new byte[f.bytesFor(20)];
    for (int i = 0; i < pieces; i++) {
      java.util.Arrays.fill(piece, (byte) (firstPiece + i));
      u.accept(piece, 0, piece.length, nowNanos);
    }
    return firstPiece + pieces;
  }

  /** Lets the handover end: it does once the window has passed and the backlog is empty. */
  private static void pastHandover(Upstream u, FakeSocket s) {
    s.writerCatchesUp();
    while (u.drain(Upstream.HANDOVER_WINDOW_NANOS + 1)) s.writerCatchesUp();
    assertFalse(u.inHandover());
  }

  @Test void givenLinkKeepingUp_when20msPiecesArrive_thenEach50msChunkGoesOutAtOnceAsJson() throws Exception {
    Upstream u = new Upstream(socket, AudioFormat.PCM_16K, 50, 1000);
    byte[] piece = new byte[640];
    for (int i = 0; i < 5; i++) {
      java.util.Arrays.fill(piece, (byte) i);
      u.accept(piece, 0, piece.length, i * 20 * MS);
      socket.writerCatchesUp();
    }

    assertEquals(2, socket.sent.size(), "100 ms make two 50 ms chunks");
    byte[] first = socket.audio(0);
    assertEquals(1600, first.length);
    assertEquals(0, first[0]);
    assertEquals(2, first[1599], "bytes 1280..1599 are the third piece's");
    assertEquals(2, socket.audio(1)[0]);
    assertEquals(0, u.backlogChunks());
  }

  @Test void givenChunkSizes_whenFormatsDiffer_thenAChunkIsAlways50msOfThatFormat() {
    assertEquals(400, new Upstream(socket, AudioFormat.ULAW_8K, 50, 1000).chunkBytes());
    assertEquals(800, new Upstream(socket, AudioFormat.PCM_8K, 50, 1000).chunkBytes());
    assertEquals(2204, new Upstream(socket, AudioFormat.parse("pcm_22050"), 50, 1000).chunkBytes());
    assertEquals(3200, new Upstream(socket, AudioFormat.PCM_16K, 100, 1000).chunkBytes());
  }

  @Test void givenOkHttpQueueBusy_whenChunksComplete_thenOkHttpNeverHoldsMoreThanOneChunk() throws Exception {
    Upstream u = new Upstream(socket, AudioFormat.PCM_8K, 50, 1000);

    feed(u, AudioFormat.PCM_8K, 0, 1000, 0);

    assertEquals(1, socket.maxQueuedMessages, "a pong waits behind at most one chunk");
    assertEquals(19, u.backlogChunks());
    for (int sent = 1; sent < 20; sent++) {
      socket.writerCatchesUp();
      u.drain(0);
      assertEquals(sent + 1, socket.sent.size(), "one more chunk per drained queue");
      assertEquals(1, socket.maxQueuedMessages);
    }
    assertEquals(0, u.backlogChunks());
    for (int c = 0; c < 20; c++) {
      assertEquals((byte) (c * 50 / 20), socket.audio(c)[0], "chunk " + c + " in order");
    }
  }

  @Test void givenSteadyState_whenTheLinkStallsLongerThanTheBacklog_thenTheOldestAreDroppedAndCounted() throws Exception {
    Upstream u = new Upstream(socket, AudioFormat.PCM_8K, 50, 1000);
    int next = feed(u, AudioFormat.PCM_8K, 0, 100, 0);
    pastHandover(u, socket);
    int sentBefore = socket.sent.size();
    socket.queuedBytes = 1; // the writer is stuck on something

    feed(u, AudioFormat.PCM_8K, next, 3000, Upstream.HANDOVER_WINDOW_NANOS + 2);

    assertEquals(20, u.backlogChunks(), "ELEVENLABS_UPSTREAM_BACKLOG_MS=1000 holds 20 chunks of 50 ms");
    assertEquals(40, u.droppedChunks(), "3 s = 60 chunks, 20 kept");
    socket.writerCatchesUp();
    while (u.drain(Upstream.HANDOVER_WINDOW_NANOS + 3)) socket.writerCatchesUp();
    assertEquals(sentBefore + 20, socket.sent.size());
    // The 20 kept are the newest second: pieces next+100 .. next+149.
    byte first = socket.audio(sentBefore)[0];
    assertEquals((byte) (next + 100), first);
    assertEquals((byte) (next + 149), socket.audio(socket.sent.size() - 1)[799]);
  }

  @Test void givenAnswerBufferHandover_whenFourSecondsArriveInOneBurstOnASlowLink_thenNothingIsDropped() throws Exception {
    Upstream u = new Upstream(socket, AudioFormat.PCM_8K, 50, 1000);

    feed(u, AudioFormat.PCM_8K, 0, 4000, 0); // the writer never catches up during the burst

    assertEquals(0, u.droppedChunks());
    assertEquals(79, u.backlogChunks());
    assertTrue(u.inHandover());
    while (u.drain(MS)) socket.writerCatchesUp();
    socket.writerCatchesUp();
    u.drain(MS);
    assertEquals(80, socket.sent.size());
    for (int c = 0; c < 80; c++) assertEquals((byte) (c * 50 / 20), socket.audio(c)[0], "chunk " + c);
  }

  @Test void givenHandoverLongerThanTheCoreBuffer_whenItArrives_thenOnlyTheOldestBeyond5sAreDropped() {
    Upstream u = new Upstream(socket, AudioFormat.PCM_8K, 50, 1000);

    feed(u, AudioFormat.PCM_8K, 0, 6000, 0);

    assertEquals(100, u.handoverCapacityChunks());
    assertEquals(100, u.backlogChunks());
    assertEquals(19, u.droppedChunks(), "120 chunks: 1 sent, 100 kept, 19 dropped");
  }

  @Test void givenHandoverDrained_whenTheLinkStallsLater_thenTheSteadyBoundApplies() {
    Upstream u = new Upstream(socket, AudioFormat.PCM_8K, 50, 1000);
    feed(u, AudioFormat.PCM_8K, 0, 2000, 0);
    assertTrue(u.inHandover());
    while (u.drain(Upstream.HANDOVER_WINDOW_NANOS)) socket.writerCatchesUp();
    assertFalse(u.inHandover(), "empty after the window: the hand-over is over");

    socket.queuedBytes = 1;
    feed(u, AudioFormat.PCM_8K, 0, 2000, Upstream.HANDOVER_WINDOW_NANOS + MS);

    assertEquals(u.steadyCapacityChunks(), u.backlogChunks());
    assertEquals(20, u.droppedChunks());
  }

  @Test void givenSocketClosing_whenChunksAreRefused_thenTheyAreCountedAndNothingThrows() {
    Upstream u = new Upstream(socket, AudioFormat.PCM_8K, 50, 1000);
    socket.closing = true;

    feed(u, AudioFormat.PCM_8K, 0, 200, 0);

    assertEquals(4, u.refusedChunks());
    assertEquals(0, u.sentChunks());
  }

  @Test void givenOddLengths_whenAudioArrivesInUnevenPieces_thenChunksAreStillExact() throws Exception {
    Upstream u = new Upstream(socket, AudioFormat.ULAW_8K, 50, 1000);
    byte[] all = new byte[1200];
    for (int i = 0; i < all.length; i++) all[i] = (byte) i;
    int[] cuts = {0, 7, 400, 401, 999, 1200};
    for (int i = 0; i + 1 < cuts.length; i++) {
      u.accept(all, cuts[i], cuts[i + 1] - cuts[i], 0);
      socket.writerCatchesUp();
      u.drain(0);
      socket.writerCatchesUp();
    }
    assertEquals(3, socket.sent.size());
    for (int c = 0; c < 3; c++) {
      assertEquals(java.util.Arrays.toString(java.util.Arrays.copyOfRange(all, c * 400, c * 400 + 400)),
          java.util.Arrays.toString(socket.audio(c)));
    }
  }
}
