package io.voiceagent.elevenlabs;

import io.voiceagent.core.audio.AudioFormat;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Callee audio on its way to the agent: cut into chunks of {@code chunkMillis} and sent as
 * {@code {"user_audio_chunk": "<base64>"}} (no {@code type}: that is the protocol's shape).
 *
 * <p>OkHttp's own send queue is kept to one chunk: a chunk is handed to it only when its queue is empty, so a
 * pong (sent straight to OkHttp from the reader thread) waits behind at most one chunk. The rest waits here, in
 * a backlog bounded in chunks that drops the <em>oldest</em> chunk when full and counts it: late audio is worth
 * less than recent audio to a live conversation.
 *
 * <p>Two bounds. The core hands over everything it buffered between the answer and {@code ready} (up to 5 s)
 * in one burst on the first tick; that burst must survive, so until the backlog has emptied once after the
 * {@link #HANDOVER_WINDOW_NANOS} window the backlog may hold {@link #HANDOVER_MILLIS}. After that the steady
 * bound ({@code ELEVENLABS_UPSTREAM_BACKLOG_MS}, ≈ 1 s) applies, so a congested link never queues stale audio
 * for long. Backlog slots are allocated on first use only; a session whose link keeps up never allocates one.
 *
 * <p>Threads: {@link #accept} on the media pacer, {@link #drain} on the port's timer; both under this object's
 * lock, which is held across {@code sender.send} (non-blocking: OkHttp only enqueues) so chunks keep their order.
 * Per chunk, one {@code String} is made, because OkHttp's {@code send} takes one; nothing else is allocated.
 */
final class Upstream {
  /** What the upstream needs of a WebSocket: OkHttp's {@code queueSize()} and {@code send(String)}. */
  interface FrameSender {
    long queueSize();

    boolean send(String text);
  }

  /** The core's answer buffer holds at most this much; its hand-over must fit. */
  static final int HANDOVER_MILLIS = 5_000;
  /** The hand-over arrives within one pacer tick; this leaves room for a loaded machine. */
  static final long HANDOVER_WINDOW_NANOS = 250_000_000L;

  private static final byte[] PREFIX = "{\"user_audio_chunk\":\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] SUFFIX = "\"}".getBytes(StandardCharsets.US_ASCII);

  private final FrameSender sender;
  private final int chunkMillis;
  private final int chunkBytes;
  private final int steadyCapacity;   // chunks
  private final int handoverCapacity; // chunks

  // All below: guarded by this.
  private final byte[] pending;       // the chunk being filled
  private int pendingLength;
  private final byte[][] ring;        // backlog slots, allocated on first use
  private int modulus;                // ring length in use: handoverCapacity, then steadyCapacity
  private int head;
  private int size;
  private boolean handover = true;
  private boolean started;
  private long firstAudioNanos;
  private final byte[] frame;         // the JSON text of one chunk, rebuilt for each
  private long sentChunks;
  private long droppedChunks;
  private long refusedChunks;
  private int maxBacklog;

  Upstream(FrameSender sender, AudioFormat format, int chunkMillis, int backlogMillis) {
    this.sender = Objects.requireNonNull(sender, "sender");
    this.chunkMillis = chunkMillis;
    this.chunkBytes = format.bytesFor(chunkMillis);
    if (chunkBytes <= 0) throw new IllegalArgumentException("a " + chunkMillis + " ms chunk of " + format + " is empty");
    this.steadyCapacity = Math.max(1, backlogMillis / chunkMillis);
    this.handoverCapacity = Math.max(steadyCapacity, (HANDOVER_MILLIS + chunkMillis - 1) / chunkMillis);
    this.pending = new byte[chunkBytes];
    this.ring = new byte[handoverCapacity][];
    this.modulus = handoverCapacity;
    this.frame = new byte[PREFIX.length + Base64Ascii.encodedLength(chunkBytes) + SUFFIX.length];
  }

  /**
   * Takes callee audio (copied before returning), sends every completed chunk the link can take now and keeps
   * the rest. Returns true when chunks are still waiting, so the caller schedules a {@link #drain}.
   */
  synchronized boolean accept(byte[] data, int offset, int length, long nowNanos) {
    if (!started) {
      started = true;
      firstAudioNanos = nowNanos;
    }
    int off = offset;
    int left = length;
    while (left > 0) {
      int n = Math.min(left, chunkBytes - pendingLength);
      System.arraycopy(data, off, pending, pendingLength, n);
      pendingLength += n;
      off += n;
      left -= n;
      if (pendingLength == chunkBytes) {
        chunkComplete();
        pendingLength = 0;
      }
    }
    return drain(nowNanos);
  }

  /** Moves waiting chunks to OkHttp while its queue is empty. Returns true if chunks are still waiting. */
  synchronized boolean drain(long nowNanos) {
    while (size > 0 && sender.queueSize() == 0) {
      transmit(ring[head]);
      head = (head + 1) % modulus;
      size--;
    }
    if (size == 0 && handover && started && nowNanos - firstAudioNanos >= HANDOVER_WINDOW_NANOS) endHandover();
    return size > 0;
  }

  private void chunkComplete() {
    if (size == 0 && sender.queueSize() == 0) {
      transmit(pending);
      return;
    }
    int capacity = handover ? handoverCapacity : steadyCapacity;
    if (size == capacity) {
      head = (head + 1) % modulus; // drop the oldest
      size--;
      droppedChunks++;
    }
    int tail = (head + size) % modulus;
    if (ring[tail] == null) ring[tail] = new byte[chunkBytes];
    System.arraycopy(pending, 0, ring[tail], 0, chunkBytes);
    size++;
    if (size > maxBacklog) maxBacklog = size;
  }

  /** The hand-over is through and the backlog is empty: from now on the steady bound, and its memory only. */
  private void endHandover() {
    handover = false;
    head = 0;
    modulus = steadyCapacity;
    for (int i = steadyCapacity; i < ring.length; i++) ring[i] = null;
  }

  private void transmit(byte[] chunk) {
    int n = 0;
    System.arraycopy(PREFIX, 0, frame, 0, PREFIX.length);
    n += PREFIX.length;
    n += Base64Ascii.encode(chunk, 0, chunkBytes, frame, n);
    System.arraycopy(SUFFIX, 0, frame, n, SUFFIX.length);
    n += SUFFIX.length;
    if (sender.send(new String(frame, 0, n, StandardCharsets.ISO_8859_1))) {
      sentChunks++;
    } else {
      refusedChunks++; // the socket is closing: nothing more will go out
    }
  }

  int chunkBytes() {
    return chunkBytes;
  }

  int chunkMillis() {
    return chunkMillis;
  }

  synchronized long sentChunks() {
    return sentChunks;
  }

  /** Chunks dropped because the backlog was full (oldest first). */
  synchronized long droppedChunks() {
    return droppedChunks;
  }

  /** Chunks OkHttp refused because the socket was already closing. */
  synchronized long refusedChunks() {
    return refusedChunks;
  }

  synchronized int backlogChunks() {
    return size;
  }

  /** The deepest the backlog got, in chunks. */
  synchronized int maxBacklogChunks() {
    return maxBacklog;
  }

  synchronized boolean inHandover() {
    return handover;
  }

  int steadyCapacityChunks() {
    return steadyCapacity;
  }

  int handoverCapacityChunks() {
    return handoverCapacity;
  }
}
