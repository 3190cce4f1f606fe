package io.voiceagent.core.service;

import io.voiceagent.core.call.Call;
import io.voiceagent.core.call.CallId;
import io.voiceagent.core.call.CallStatus;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * A thread-safe in-memory {@link CallRepository}. Active calls are always kept; of finished calls the newest
 * {@code historyLimit} are kept (default 10,000) and older ones forgotten. Reads take no lock.
 */
public final class InMemoryCallRepository implements CallRepository {
  public static final int DEFAULT_HISTORY = 10_000;

  private final int historyLimit;
  private final Map<CallId, Long> order = new ConcurrentHashMap<>();
  private final ConcurrentNavigableMap<Long, Call> calls = new ConcurrentSkipListMap<>();
  private final ArrayDeque<Long> finished = new ArrayDeque<>(); // guarded by this, oldest first
  private long nextOrder;                                       // guarded by this

  public InMemoryCallRepository() {
    this(DEFAULT_HISTORY);
  }

  public InMemoryCallRepository(int historyLimit) {
    if (historyLimit < 1) throw new IllegalArgumentException("historyLimit is " + historyLimit + ", expected ≥ 1");
    this.historyLimit = historyLimit;
  }

  @Override public synchronized void save(Call call) {
    Long key = order.get(call.id());
    Call before = null;
    if (key == null) {
      key = nextOrder++;
      order.put(call.id(), key);
    } else {
      before = calls.get(key);
    }
    calls.put(key, call);
    if (call.isFinal() && (before == null || !before.isFinal())) {
      finished.addLast(key);
      while (finished.size() > historyLimit) {
        Call gone = calls.remove(finished.pollFirst());
        if (gone != null) order.remove(gone.id());
      }
    }
  }

  @Override public Optional<Call> find(CallId id) {
    Long key = order.get(id);
    return key == null ? Optional.empty() : Optional.ofNullable(calls.get(key));
  }

  @Override public List<Call> list(CallStatus status, int limit) {
    List<Call> out = new ArrayList<>(Math.min(limit, 1024));
    for (Call c : calls.descendingMap().values()) {
      if (out.size() >= limit) break;
      if (status == null || c.status() == status) out.add(c);
    }
    return out;
  }

  /** Calls held now, active and finished. */
  public int size() {
    return calls.size();
  }
}
