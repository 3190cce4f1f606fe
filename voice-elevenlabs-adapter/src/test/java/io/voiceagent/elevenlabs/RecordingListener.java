package io.voiceagent.elevenlabs;

import static org.junit.jupiter.api.Assertions.fail;

import io.voiceagent.core.ai.AiEnd;
import io.voiceagent.core.ai.AiSessionListener;
import io.voiceagent.core.ai.ToolResult;
import io.voiceagent.core.audio.AudioFormat;
import io.voiceagent.core.call.TranscriptEntry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;

/** What the core would hear from a session, recorded in order. */
final class RecordingListener implements AiSessionListener {
  record Ready(String conversationId, AudioFormat input, AudioFormat output) {}

  record Audio(byte[] data, long eventId) {}

  record Interrupted(long eventId) {}

  record Transcript(TranscriptEntry.Role role, String text) {}

  record Corrected(String original, String corrected) {}

  record ToolCall(String name, Map<String, Object> parameters) {}

  record Ended(AiEnd end) {}

  private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
  final List<Object> history = new CopyOnWriteArrayList<>();
  final AtomicInteger endedCount = new AtomicInteger();
  final AtomicLong audioBytes = new AtomicLong();
  /** When set, audio is only counted (a flood would fill the queue). */
  volatile boolean countAudioOnly;
  /** When set, answers tool calls; else the core's default ("not available"). */
  volatile Function<ToolCall, ToolResult> tools;
  /** When set, agent audio also goes here (the real core pipeline, say). */
  volatile AudioSinkForTest audioSink;

  interface AudioSinkForTest {
    void agentAudio(byte[] data, int offset, int length, long eventId);
  }

  private void record(Object event) {
    history.add(event);
    queue.add(event);
  }

  @Override public void ready(String conversationId, AudioFormat input, AudioFormat output) {
    record(new Ready(conversationId, input, output));
  }

  @Override public void agentAudio(byte[] data, int offset, int length, long eventId) {
    audioBytes.addAndGet(length);
    AudioSinkForTest s = audioSink;
    if (s != null) s.agentAudio(data, offset, length, eventId);
    if (!countAudioOnly) record(new Audio(java.util.Arrays.copyOfRange(data, offset, offset + length), eventId));
  }

  @Override public void interrupted(long eventId) {
    record(new Interrupted(eventId));
  }

  @Override public void transcript(TranscriptEntry.Role role, String text) {
    record(new Transcript(role, text));
  }

  @Override public void transcriptCorrected(String original, String corrected) {
    record(new Corrected(original, corrected));
  }

  @Override public void toolCall(String toolName, Map<String, Object> parameters, Consumer<ToolResult> reply) {
    ToolCall call = new ToolCall(toolName, parameters);
    record(call);
    Function<ToolCall, ToolResult> t = tools;
    if (t == null) {
      AiSessionListener.super.toolCall(toolName, parameters, reply);
    } else {
      reply.accept(t.apply(call));
    }
  }

  @Override public void ended(AiEnd end) {
    endedCount.incrementAndGet();
    record(new Ended(end));
  }

  /** The next event of {@code type}, skipping others; fails after {@code timeout}. */
  <T> T await(Class<T> type, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<Object> skipped = new ArrayList<>();
    while (true) {
      long left = deadline - System.nanoTime();
      Object e = left <= 0 ? null : queue.poll(left, TimeUnit.NANOSECONDS);
      if (e == null) {
        fail("no " + type.getSimpleName() + " within " + timeout + "; skipped " + skipped + "; history " + history);
      }
      if (type.isInstance(e)) return type.cast(e);
      if (e instanceof Ended) fail("the session ended while waiting for " + type.getSimpleName() + ": " + e);
      skipped.add(e);
    }
  }

  <T> T await(Class<T> type) throws InterruptedException {
    return await(type, Duration.ofSeconds(15));
  }

  <T> List<T> all(Class<T> type) {
    List<T> out = new ArrayList<>();
    for (Object e : history) if (type.isInstance(e)) out.add(type.cast(e));
    return out;
  }
}
