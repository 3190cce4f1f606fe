package io.voiceagent.core.service;

import io.voiceagent.core.call.Call;
import io.voiceagent.core.call.CallId;
import io.voiceagent.core.call.CallStatus;
import java.util.List;
import java.util.Optional;

/**
 * Where call snapshots live: in memory now ({@link InMemoryCallRepository}), a database later. Thread-safe.
 * {@link CallService} saves each call's snapshots in order, one call at a time.
 */
public interface CallRepository {
  /** Inserts or replaces the snapshot with this id. */
  void save(Call call);

  Optional<Call> find(CallId id);

  /**
   * Calls, newest first.
   *
   * @param status only calls in this status, or null for all
   * @param limit  at most this many
   */
  List<Call> list(CallStatus status, int limit);
}
