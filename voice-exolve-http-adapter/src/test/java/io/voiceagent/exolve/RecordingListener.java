package io.voiceagent.exolve;

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

/** The core's side of one call: queues its events as words (ringing, answered, external_id:…, ended). */
final class RecordingListener implements TelephonyListener {
  private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
  final List<String> all = new CopyOnWriteArrayList<>();
  volatile TelephonyEnd end;
  volatile MediaStream media;
  volatile String externalId;
  volatile String thread;

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

  @Override public void externalId(String id) {
    this.externalId = id;
    add("external_id:" + id);
  }

  @Override public void ended(TelephonyEnd end) {
    this.end = end;
    add("ended");
  }

  private void add(String e) {
    thread = Thread.currentThread().getName();
    all.add(e);
    events.add(e);
  }

  /** Waits until {@code event} arrives (an exact word, or a prefix ending in ':'), returning what came before. */
  List<String> awaitEvent(String event, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<String> before = new ArrayList<>();
    while (true) {
      long left = deadline - System.nanoTime();
      String e = left > 0 ? events.poll(left, TimeUnit.NANOSECONDS) : null;
      assertNotNull(e, "no '" + event + "' within " + timeout + "; events: " + all);
      if (e.equals(event) || event.endsWith(":") && e.startsWith(event)) return before;
      before.add(e);
    }
  }

  TelephonyEnd awaitEnd(Duration timeout) throws InterruptedException {
    awaitEvent("ended", timeout);
    return end;
  }

  long count(String event) {
    return all.stream().filter(event::equals).count();
  }
}
