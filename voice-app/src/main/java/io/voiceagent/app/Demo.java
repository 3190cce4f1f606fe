package io.voiceagent.app;

import io.voiceagent.core.VoiceAgent;
import io.voiceagent.core.call.Call;
import io.voiceagent.core.call.CallStatus;
import io.voiceagent.core.call.EndReason;
import io.voiceagent.core.call.TranscriptEntry;
import io.voiceagent.core.config.Settings;
import io.voiceagent.core.service.CallListener;
import io.voiceagent.core.service.StartCallCommand;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code demo}: the sandbox end to end. Places one call to the embedded callee, prints each status change
 * and transcript line as it happens, hangs up after about ten seconds, and exits 0 if the call was answered,
 * the AI connected, and it completed.
 */
final class Demo {
  static final String NUMBER = "79990000000";
  private static final Duration TALK = Duration.ofSeconds(10);

  private Demo() {}

  static int run(Settings given, PrintStream out) {
    // the demo never reaches a real network or account, whatever else is configured
    Settings settings = given.without(name -> name.startsWith("EXOLVE_") || name.startsWith("ELEVENLABS_")
        || name.equals("USE_EXOLVE_HTTP") || name.equals("SOCKS5_PROXY")).with("AI_PROVIDER", "sandbox");
    CountDownLatch answered = new CountDownLatch(1);
    CountDownLatch ended = new CountDownLatch(1);
    AtomicReference<Call> last = new AtomicReference<>();
    CallListener printer = new CallListener() {
      private CallStatus shown;

      @Override public synchronized void callUpdated(Call call) {
        if (call.status() != shown) {
          shown = call.status();
          out.println("[call] " + call.status().wireName()
              + (call.endReason() == null ? "" : " (" + call.endReason().wireName() + ")")
              + (call.message() == null ? "" : ": " + call.message()));
        }
        if (call.status() == CallStatus.ANSWERED) answered.countDown();
      }

      @Override public void transcript(Call call, TranscriptEntry entry) {
        out.println("[" + entry.role().wireName() + "] " + entry.text());
      }

      @Override public void ended(Call call) {
        last.set(call);
        ended.countDown();
      }
    };
    try (VoiceAgent agent = Assembly.agent(settings).listener(printer).build()) {
      out.println("voice-agent demo: telephony " + agent.telephonyProviderName() + ", AI " + agent.aiProviderName());
      Call call = agent.calls().start(StartCallCommand.to(NUMBER)).call();
      if (answered.await(30, TimeUnit.SECONDS)) {
        if (!ended.await(TALK.toMillis(), TimeUnit.MILLISECONDS)) agent.calls().hangup(call.id());
      }
      if (!ended.await(30, TimeUnit.SECONDS)) {
        out.println("demo: the call did not end in time");
        return 1;
      }
      Call done = last.get();
      out.println("[call] transcript: " + done.transcript().size() + " lines, AI connected: " + done.aiConnected());
      boolean ok = done.status() == CallStatus.COMPLETED && done.endReason() == EndReason.LOCAL_HANGUP
          && done.aiConnected() && !done.transcript().isEmpty();
      out.println(ok ? "demo: OK" : "demo: FAILED (" + done.status().wireName() + ")");
      return ok ? 0 : 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }
  }
}
