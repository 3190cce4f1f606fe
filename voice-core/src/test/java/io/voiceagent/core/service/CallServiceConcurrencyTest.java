package io.voiceagent.core.service;

import io.voiceagent.core.call.Call;
import io.voiceagent.core.call.CallId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voiceagent.core.testing.Await;
import io.voiceagent.core.testing.RecordingListener;
import io.voiceagent.core.testing.ScriptedAi;
import io.voiceagent.core.testing.ScriptedTelephony;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CallServiceConcurrencyTest {
  @Test void given16Threads_when1000CallsStartedAndHungUp_thenNoneLostOrDuplicatedAllFinalThreadsBack() throws Exception {
    int baselineThreads = Thread.activeCount();
    var telephony = new ScriptedTelephony().behave(r -> r.number().digits().endsWith("0")
        ? ScriptedTelephony.Behaviour.ANSWER : ScriptedTelephony.Behaviour.MANUAL);
    var ai = new ScriptedAi();
    var events = new RecordingListener();
    var service = CallService.builder().telephony(telephony).ai(ai).listener(events)
        .settings(CallSettings.DEFAULTS.withMaxConcurrentCalls(2000)).build();
    var ids = new ConcurrentLinkedQueue<CallId>();
    ExecutorService clients = Executors.newFixedThreadPool(16);
    CountDownLatch go = new CountDownLatch(1);
    for (int i = 0; i < 1000; i++) {
      String number = String.format("7912%07d", i);
      clients.execute(() -> {
        try {
          go.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        Call c = service.start(StartCallCommand.to(number)).call();
        ids.add(c.id());
        if (number.endsWith("5")) telephony.line(c.id()).hangUpRemotely(); // the far end races us
        service.hangup(c.id());
      });
    }
    go.countDown();
    clients.shutdown();
    assertTrue(clients.awaitTermination(60, TimeUnit.SECONDS));

    assertEquals(1000, ids.size());
    Set<CallId> unique = new HashSet<>(ids);
    assertEquals(1000, unique.size(), "no call duplicated");
    assertEquals(1000, telephony.dialled().size(), "each dialled once");
    Await.until("every call to end", () -> events.endedCalls() == 1000);
    for (CallId id : unique) {
      Call c = service.get(id);
      assertTrue(c.isFinal(), id + " is " + c.status());
      assertEquals(1, events.endedCount(id), "ended exactly once: " + id);
      assertTrue(telephony.line(id).localHangups() <= 1);
    }
    List<Call> all = service.list(null, 5000);
    assertEquals(1000, all.size());
    assertEquals(0, service.activeCalls());
    for (ScriptedAi.Session s : ai.sessions()) assertTrue(s.closes() <= 1, "AI session closed at most once");

    service.close();
    Await.until("threads back to baseline (" + baselineThreads + ")", () -> Thread.activeCount() <= baselineThreads);
  }
}
