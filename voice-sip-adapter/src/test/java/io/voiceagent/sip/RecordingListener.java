package io.voiceagent.sip;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.voiceagent.core.telephony.MediaStream;
import io.voiceagent.core.telephony.TelephonyEnd;
import io.voiceagent.core.telephony.TelephonyListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Queues a call's telephony events as words: ringing, early_media, answered, dtmf:5, ended. */
final class RecordingListener implements TelephonyListener {
  private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
  final List<String> all = new CopyOnWriteArrayList<>();
  final AtomicInteger endedCount = new AtomicInteger();
  volatile TelephonyEnd end;
  volatile MediaStream media;

  @Override public void ringing() {
    add("ringing");
  }

  @Override public void earlyMedia() {
    add("early_media");
  }

  @Override public void answered(MediaStream media) {
    this.media = media;
    add("answered");
  }

  @Override public void dtmfReceived(char digit) {
    add("dtmf:" + digit);
  }

  @Override public void ended(TelephonyEnd end) {
    this.end = end;
    endedCount.incrementAndGet();
    add("ended");
  }

  private void add(String e) {
    all.add(e);
    events.add(e);
  }

  /** Waits for the next event, failing after {@code timeout}. */
  String next(Duration timeout) throws InterruptedException {
    String e = events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    assertNotNull(e, "no telephony event within " + timeout + "; so far " + all);
    return e;
  }

  /** Waits until {@code event} arrives, returning what came before it. */
  List<String> awaitEvent(String event, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<String> before = new ArrayList<>();
    while (true) {
      long left = deadline - System.nanoTime();
      String e = left > 0 ? events.poll(left, TimeUnit.NANOSECONDS) : null;
      assertNotNull(e, "no '" + event + "' within " + timeout + "; events: " + all);
      if (e.equals(event)) return before;
      before.add(e);
    }
  }

  TelephonyEnd awaitEnd(Duration timeout) throws InterruptedException {
    awaitEvent("ended", timeout);
    return end;
  }
}
