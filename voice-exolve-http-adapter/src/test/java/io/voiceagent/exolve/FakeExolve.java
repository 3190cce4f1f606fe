package io.voiceagent.exolve;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * Exolve's HTTP API as a real HTTP server (okhttp's MockWebServer): each method answers what a test scripted for
 * it, else MakeCallback and MakeCall give a fresh numeric call_id as a string and GetInfo says the call is in
 * progress. Every request is kept for the test to inspect.
 */
final class FakeExolve implements AutoCloseable {
  final MockWebServer server = new MockWebServer();
  private final Map<String, BlockingQueue<MockResponse>> scripted = new ConcurrentHashMap<>();
  private final Map<String, BlockingQueue<RecordedRequest>> received = new ConcurrentHashMap<>();
  private final AtomicLong nextCallId = new AtomicLong(5_550_000_001L);
  volatile String defaultStatus = "in_progress";
  private final Map<String, java.util.concurrent.CountDownLatch> gates = new ConcurrentHashMap<>();

  FakeExolve() {
    server.setDispatcher(new Dispatcher() {
      @Override public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
        String path = request.getUrl().encodedPath();
        String method = path.substring(path.lastIndexOf('/') + 1);
        received.computeIfAbsent(method, k -> new LinkedBlockingQueue<>()).add(request);
        java.util.concurrent.CountDownLatch gate = gates.remove(method);
        if (gate != null && !gate.await(60, TimeUnit.SECONDS)) throw new IllegalStateException("gate never opened");
        MockResponse r = queue(method).poll();
        if (r != null) return r;
        switch (method) {
          case "MakeCallback":
          case "MakeCall":
            return json(200, "{\"call_id\": \"" + nextCallId.getAndIncrement() + "\"}");
          case "GetInfo":
            return json(200, "{\"status\": \"" + defaultStatus + "\"}");
          default:
            return json(404, "{\"code\": 5, \"message\": \"no such method\"}");
        }
      }
    });
    try {
      server.start(InetAddress.getLoopbackAddress(), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String baseUrl() {
    return server.url("/").toString();
  }

  /** Holds the next answer to {@code method} until the returned latch is counted down. */
  java.util.concurrent.CountDownLatch gate(String method) {
    java.util.concurrent.CountDownLatch latch = new java.util.concurrent.CountDownLatch(1);
    gates.put(method, latch);
    return latch;
  }

  /** The next answer to {@code method} (MakeCallback, MakeCall, GetInfo). */
  void enqueue(String method, MockResponse response) {
    queue(method).add(response);
  }

  private BlockingQueue<MockResponse> queue(String method) {
    return scripted.computeIfAbsent(method, k -> new LinkedBlockingQueue<>());
  }

  static MockResponse json(int code, String body) {
    return new MockResponse.Builder().code(code).setHeader("Content-Type", "application/json").body(body).build();
  }

  /** The next request to {@code method}, failing after {@code timeout}. */
  RecordedRequest take(String method, Duration timeout) throws InterruptedException {
    RecordedRequest r = received.computeIfAbsent(method, k -> new LinkedBlockingQueue<>())
        .poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (r == null) throw new AssertionError("no " + method + " request within " + timeout);
    return r;
  }

  /** Requests to {@code method} received and not yet taken. */
  int pending(String method) {
    return received.computeIfAbsent(method, k -> new LinkedBlockingQueue<>()).size();
  }

  @Override public void close() {
    server.close();
  }
}
