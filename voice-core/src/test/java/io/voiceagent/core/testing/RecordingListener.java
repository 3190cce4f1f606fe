package io.voiceagent.core.testing;

import io.voiceagent.core.call.Call;
import io.voiceagent.core.call.CallId;
import io.voiceagent.core.service.CallListener;
import io.voiceagent.core.call.CallStatus;
import io.voiceagent.core.call.TranscriptEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link CallListener} that records every event per call. */
public final class RecordingListener implements CallListener {
  private final Map<CallId, List<CallStatus>> statuses = new ConcurrentHashMap<>();
  private final Map<CallId, List<Call>> ended = new ConcurrentHashMap<>();
  public final List<TranscriptEntry> transcript = new CopyOnWriteArrayList<>();
  public final List<Character> dtmf = new CopyOnWriteArrayList<>();

  @Override public void callUpdated(Call call) {
    List<CallStatus> seen = statuses.computeIfAbsent(call.id(), k -> new CopyOnWriteArrayList<>());
    synchronized (seen) {
      if (seen.isEmpty() || seen.get(seen.size() - 1) != call.status()) seen.add(call.status());
    }
  }

  @Override public void transcript(Call call, TranscriptEntry entry) {
    transcript.add(entry);
  }

  @Override public void dtmfReceived(CallId id, char digit) {
    dtmf.add(digit);
  }

  @Override public void ended(Call call) {
    ended.computeIfAbsent(call.id(), k -> new CopyOnWriteArrayList<>()).add(call);
  }

  public List<CallStatus> statuses(CallId id) {
    return new ArrayList<>(statuses.getOrDefault(id, List.of()));
  }

  /** The call's single final snapshot, waiting for it. */
  public Call awaitEnded(CallId id) {
    Await.until("call " + id + " to end", () -> ended.containsKey(id));
    return ended.get(id).get(0);
  }

  public int endedCount(CallId id) {
    return ended.getOrDefault(id, List.of()).size();
  }

  public int endedCalls() {
    return ended.size();
  }
}
