package com.example.voice;

import io.voiceagent.core.VoiceAgent;
import io.voiceagent.core.call.Call;
import io.voiceagent.core.call.TranscriptEntry;
import io.voiceagent.core.config.Settings;
import io.voiceagent.core.service.CallListener;
import io.voiceagent.core.service.StartCallCommand;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Places one call from plain Java, with no REST API: with no settings it goes to the sandbox's callee on
 * loopback and the sandbox AI answers. Prints the transcript as it happens and hangs up once the agent has
 * spoken.
 */
public final class EmbeddedCall {
  public static void main(String[] args) throws Exception {
    Call done = run(Settings.of(System.getenv()), "+79990000000");
    System.out.println("ended: " + done.status().wireName() + " (" + done.endReason().wireName() + ")");
  }

  /** Calls {@code number}, waits for the agent's first words, hangs up, and returns the final call. */
  public static Call run(Settings settings, String number) throws Exception {
    CountDownLatch agentSpoke = new CountDownLatch(1);
    CompletableFuture<Call> ended = new CompletableFuture<>();
    try (VoiceAgent agent = VoiceAgent.builder().settings(settings)
        .listener(new CallListener() {
          @Override public void transcript(Call call, TranscriptEntry entry) {
            System.out.println(entry.role().wireName() + ": " + entry.text());
            if (entry.role() == TranscriptEntry.Role.AGENT) agentSpoke.countDown();
          }

          @Override public void ended(Call call) {
            ended.complete(call);
          }
        })
        .build()) {
      Call call = agent.calls().start(StartCallCommand.to(number)).call();
      if (agentSpoke.await(30, TimeUnit.SECONDS)) agent.calls().hangup(call.id());
      return ended.get(30, TimeUnit.SECONDS);
    }
  }
}
