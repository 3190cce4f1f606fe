package io.voiceagent.core.service;

import io.voiceagent.core.call.Call;
import io.voiceagent.core.call.CallId;
import io.voiceagent.core.call.CallStatus;
import io.voiceagent.core.call.EndReason;
import io.voiceagent.core.call.PhoneNumber;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class InMemoryCallRepositoryTest {
  private static final PhoneNumber N = PhoneNumber.parse("79123456789");

  private static Call dialing() {
    return Call.dialing(CallId.random(), N, Instant.parse("2026-01-01T00:00:00Z"));
  }

  private static Call ended(Call c) {
    return c.ended(CallStatus.CANCELED, EndReason.LOCAL_HANGUP, null, null, Instant.parse("2026-01-01T00:01:00Z"));
  }

  @Test void givenMoreFinishedThanHistory_whenSaved_thenOldestFinishedForgottenActiveKept() {
    var repo = new InMemoryCallRepository(3);
    Call active = dialing();
    repo.save(active);
    List<Call> done = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      Call c = dialing();
      repo.save(c);
      repo.save(ended(c));
      done.add(c);
    }
    assertEquals(4, repo.size(), "3 finished + 1 active");
    assertTrue(repo.find(active.id()).isPresent(), "active calls are never forgotten");
    assertTrue(repo.find(done.get(0).id()).isEmpty());
    assertTrue(repo.find(done.get(1).id()).isEmpty());
    assertTrue(repo.find(done.get(4).id()).isPresent());
  }

  @Test void givenCalls_whenListed_thenNewestFirstFilteredAndLimited() {
    var repo = new InMemoryCallRepository();
    Call a = dialing();
    Call b = dialing();
    Call c = dialing();
    repo.save(a);
    repo.save(b);
    repo.save(c);
    repo.save(ended(b));
    assertEquals(List.of(c.id(), b.id(), a.id()), repo.list(null, 10).stream().map(Call::id).toList());
    assertEquals(List.of(b.id()), repo.list(CallStatus.CANCELED, 10).stream().map(Call::id).toList());
    assertEquals(List.of(c.id()), repo.list(null, 1).stream().map(Call::id).toList());
  }

  @Test void givenManyWriters_whenSavingConcurrently_thenEveryCallKept() throws Exception {
    var repo = new InMemoryCallRepository();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    for (int i = 0; i < 2000; i++) {
      pool.execute(() -> {
        Call c = dialing();
        repo.save(c);
        repo.save(ended(c));
      });
    }
    pool.shutdown();
    assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
    assertEquals(2000, repo.size());
    assertEquals(2000, repo.list(CallStatus.CANCELED, 5000).size());
  }
}
