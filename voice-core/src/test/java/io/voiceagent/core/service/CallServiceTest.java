package io.voiceagent.core.service;

import io.voiceagent.core.call.Call;
import io.voiceagent.core.call.CallId;
import io.voiceagent.core.call.CallStatus;
import io.voiceagent.core.call.EndReason;
import io.voiceagent.core.call.PhoneNumber;
import io.voiceagent.core.call.TranscriptEntry;
import io.voiceagent.core.call.AmdResult;
import io.voiceagent.core.call.AmdVerdict;
import io.voiceagent.core.call.InvalidCallRequestException;
import io.voiceagent.core.call.CallNotFoundException;
import io.voiceagent.core.call.CallStateException;
import io.voiceagent.core.call.CallLimitException;
import io.voiceagent.core.call.TelephonyUnavailableException;
import static io.voiceagent.core.testing.ScriptedTelephony.frame;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voiceagent.core.ai.ToolHandler;
import io.voiceagent.core.ai.ToolResult;
import io.voiceagent.core.amd.AmdPolicy;
import io.voiceagent.core.amd.AnsweringMachineDetector;
import io.voiceagent.core.audio.AudioFormat;
import io.voiceagent.core.telephony.TelephonyHealth;
import io.voiceagent.core.testing.Await;
import io.voiceagent.core.testing.RecordingListener;
import io.voiceagent.core.testing.ScriptedAi;
import io.voiceagent.core.testing.ScriptedTelephony;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CallServiceTest {
  private final ScriptedTelephony telephony = new ScriptedTelephony();
  private final ScriptedAi ai = new ScriptedAi();
  private final RecordingListener events = new RecordingListener();
  private CallService service = build(CallSettings.DEFAULTS, AnsweringMachineDetector.OFF, AmdPolicy.DEFAULT);

  private CallService build(CallSettings settings, AnsweringMachineDetector amd, AmdPolicy policy) {
    return CallService.builder().telephony(telephony).ai(ai).settings(settings).listener(events)
        .answeringMachineDetector(amd, policy)
        .toolHandler(new ToolHandler() {
          @Override public String toolName() {
            return "lookup_order";
          }

          @Override public ToolResult call(CallId callId, Map<String, Object> parameters) {
            return ToolResult.ok("order " + parameters.get("id") + " ships tomorrow");
          }
        })
        .build();
  }

  @AfterEach void tearDown() {
    service.close();
  }

  private Call start() {
    return service.start(StartCallCommand.to("+79123456789")).call();
  }

  private ScriptedAi.Session awaitOpenSession(CallId id) {
    return Await.value("AI session to open", () -> {
      ScriptedAi.Session s = ai.session(id);
      return s != null && s.isOpen() ? s : null;
    });
  }

  @Test void givenNumber_whenStart_thenDialingAndDialledOnce() {
    Call call = start();
    assertEquals(CallStatus.DIALING, call.status());
    assertEquals("79123456789", call.phoneNumber().digits());
    assertEquals(List.of(call.id()), telephony.dialled());
    assertEquals(call, service.get(call.id()));
  }

  @Test void givenRinging_whenEarlyMedia_thenAiPreparedButNeverOpened() {
    Call call = start();
    var line = telephony.line(call.id());
    line.ring();
    line.earlyMedia();
    line.ring();
    line.earlyMedia();
    Await.until("AI prepared at ringing", () -> ai.session(call.id()) != null);
    assertFalse(ai.session(call.id()).isOpen(), "183 is not an answer: the AI stays closed");
    assertEquals(List.of(CallStatus.DIALING, CallStatus.RINGING, CallStatus.EARLY_MEDIA, CallStatus.RINGING,
        CallStatus.EARLY_MEDIA), events.statuses(call.id()));
    line.fail(480);
    Call done = events.awaitEnded(call.id());
    assertEquals(CallStatus.NO_ANSWER, done.status());
    assertEquals(0, ai.session(call.id()).opens());
    assertEquals(1, ai.session(call.id()).closes(), "the prepared session is closed, never opened");
  }

  @Test void givenRepeatedRinging_whenRinging_thenNothingChanges() {
    Call call = start();
    var line = telephony.line(call.id());
    line.ring();
    line.ring();
    line.ring();
    assertEquals(List.of(CallStatus.DIALING, CallStatus.RINGING), events.statuses(call.id()));
    Await.until("prepared", () -> ai.session(call.id()) != null);
    assertEquals(1, ai.sessions().size(), "one session prepared, however often it rings");
  }

  @Test void givenAnswer_whenAiBecomesReady_thenAnswerBufferGoesFirstInOrderThenLiveAudio() {
    ai.readyOnOpen(false);
    Call call = start();
    var line = telephony.line(call.id());
    line.ring();
    var media = line.answer();
    ScriptedAi.Session session = awaitOpenSession(call.id());
    // the callee says "Hello?" before the AI is ready
    for (int i = 1; i <= 5; i++) assertNull(media.tick(frame(i)));
    assertEquals(0, session.receivedSamples().length, "nothing reaches the AI before it is ready");
    session.ready(AudioFormat.PCM_8K, AudioFormat.PCM_8K);
    Await.until("AI connected", () -> service.get(call.id()).aiConnected());
    media.tick(frame(6));
    short[] got = session.receivedSamples();
    assertEquals(6 * 160, got.length);
    for (int i = 0; i < 6; i++) assertEquals(i + 1, got[i * 160], "frame " + i + " in order");
    Call now = service.get(call.id());
    assertEquals("conv_" + call.id(), now.conversationId());
    assertNotNull(now.latency().answerToAiReadyMs());
  }

  @Test void givenLongWaitForAi_whenBufferFull_thenOldestDroppedAndNewestKept() {
    ai.readyOnOpen(false);
    Call call = start();
    var media = telephony.line(call.id()).answer();
    ScriptedAi.Session session = awaitOpenSession(call.id());
    int frames = 5000 / 20 + 10; // 10 frames more than 5 s
    for (int i = 0; i < frames; i++) media.tick(frame(i));
    session.ready(AudioFormat.PCM_8K, AudioFormat.PCM_8K);
    Await.until("AI connected", () -> service.get(call.id()).aiConnected());
    media.tick(frame(frames));
    short[] got = session.receivedSamples();
    assertEquals((250 + 1) * 160, got.length, "5 s of buffer plus the live frame");
    assertEquals(10, got[0], "the 10 oldest frames were dropped");
    assertEquals(frames, got[got.length - 1]);
  }

  @Test void givenAgentSpeaks_whenTicked_thenCalleeHearsItThenSilence() {
    Call call = start();
    var media = telephony.line(call.id()).answer();
    ScriptedAi.Session session = awaitOpenSession(call.id());
    Await.until("AI connected", () -> service.get(call.id()).aiConnected());
    session.speak(frame(7), 1);
    short[] heard = media.tick(frame(0));
    assertNotNull(heard);
    assertArrayEquals(frame(7), heard);
    assertNull(media.tick(frame(0)), "silence after the agent's words");
    assertNotNull(service.get(call.id()).latency().aiReadyToFirstAudioMs());
  }

  @Test void givenQueuedAgentAudio_whenInterrupted_thenNextTickIsSilenceAndLateAudioIgnored() {
    Call call = start();
    var media = telephony.line(call.id()).answer();
    ScriptedAi.Session session = awaitOpenSession(call.id());
    Await.until("AI connected", () -> service.get(call.id()).aiConnected());
    for (int i = 0; i < 50; i++) session.speak(frame(3), 4);
    assertNotNull(media.tick(frame(0)));
    session.interrupt(4);
    assertNull(media.tick(frame(0)), "within one tick the interrupted audio is gone");
    session.speak(frame(3), 4);
    assertNull(media.tick(frame(0)), "late audio of an interrupted event is ignored");
    session.speak(frame(9), 5);
    assertArrayEquals(frame(9), media.tick(frame(0)));
  }

  @Test void givenBusy_whenDialled_thenBusyWith486() {
    telephony.behave(ScriptedTelephony.Behaviour.BUSY);
    Call call = start();
    Call done = events.awaitEnded(call.id());
    assertEquals(CallStatus.BUSY, done.status());
    assertEquals(EndReason.BUSY, done.endReason());
    assertEquals(486, done.sipCode());
    assertEquals(0, service.activeCalls());
  }

  @Test void givenFinalSipCodes_whenCallFails_thenStatusAndReasonFollowSpec() {
    Object[][] table = {
        {486, CallStatus.BUSY, EndReason.BUSY}, {600, CallStatus.BUSY, EndReason.BUSY},
        {603, CallStatus.REJECTED, EndReason.REJECTED}, {408, CallStatus.NO_ANSWER, EndReason.NO_ANSWER},
        {480, CallStatus.NO_ANSWER, EndReason.NO_ANSWER}, {404, CallStatus.FAILED, EndReason.NOT_FOUND},
        {484, CallStatus.FAILED, EndReason.NOT_FOUND}, {604, CallStatus.FAILED, EndReason.NOT_FOUND},
        {503, CallStatus.FAILED, EndReason.ERROR}, {403, CallStatus.FAILED, EndReason.ERROR},
    };
    for (Object[] row : table) {
      Call call = start();
      telephony.line(call.id()).ring();
      telephony.line(call.id()).fail((Integer) row[0]);
      Call done = events.awaitEnded(call.id());
      assertEquals(row[1], done.status(), "status for " + row[0]);
      assertEquals(row[2], done.endReason(), "end reason for " + row[0]);
      assertEquals(row[0], done.sipCode());
      if (row[2] == EndReason.ERROR) assertTrue(done.message().contains(String.valueOf(row[0])), done.message());
    }
  }

  @Test void givenRinging_whenHungUpThroughApi_thenCanceledAndCancelSentOnce() {
    Call call = start();
    var line = telephony.line(call.id());
    line.ring();
    Call after = service.hangup(call.id());
    assertEquals(CallStatus.CANCELED, after.status());
    assertEquals(EndReason.LOCAL_HANGUP, after.endReason());
    assertEquals(1, line.localHangups());
    assertThrows(CallStateException.class, () -> service.hangup(call.id()));
    assertEquals(1, line.localHangups(), "a second hang-up sends nothing");
    assertEquals(1, events.endedCount(call.id()));
  }

  @Test void givenTelephonyThatCannotSendTheHangup_whenHungUpThroughApi_thenItsMessageIsInTheAnswer() {
    // An Exolve HTTP call hung up before its audio leg exists: the adapter can only say so, before hangup returns.
    String why = "the hang-up could not be sent to Exolve";
    io.voiceagent.core.telephony.TelephonyPort saysWhy = new io.voiceagent.core.telephony.TelephonyPort() {
      private final Map<CallId, io.voiceagent.core.telephony.TelephonyListener> calls =
          new java.util.concurrent.ConcurrentHashMap<>();

      @Override public void dial(io.voiceagent.core.telephony.DialRequest r, io.voiceagent.core.telephony.TelephonyListener l) {
        calls.put(r.callId(), l);
      }

      @Override public void hangup(CallId id) {
        calls.get(id).ended(new io.voiceagent.core.telephony.TelephonyEnd(EndReason.LOCAL_HANGUP, null, why));
      }

      @Override public void sendDtmf(CallId id, String digits) {}

      @Override public TelephonyHealth health() {
        return TelephonyHealth.ready("says-why", "ready");
      }

      @Override public boolean reportsRinging() {
        return false;
      }

      @Override public void close() {}
    };
    try (CallService s = CallService.builder().telephony(saysWhy).ai(ai).build()) {
      Call call = s.start(StartCallCommand.to("+79123456789")).call();

      Call after = s.hangup(call.id());

      assertEquals(CallStatus.CANCELED, after.status());
      assertEquals(EndReason.LOCAL_HANGUP, after.endReason());
      assertEquals(why, after.message());
      assertEquals(why, s.get(call.id()).message());
    }
  }

  @Test void givenAnswered_whenHungUpThroughApi_thenCompletedLocalHangupAndAiClosedOnce() {
    Call call = start();
    telephony.line(call.id()).answer();
    ScriptedAi.Session session = awaitOpenSession(call.id());
    Call after = service.hangup(call.id());
    assertEquals(CallStatus.COMPLETED, after.status());
    assertEquals(EndReason.LOCAL_HANGUP, after.endReason());
    assertEquals(1, session.closes());
    assertEquals(1, telephony.line(call.id()).localHangups());
    assertFalse(telephony.line(call.id()).media.attached(), "media detached at the end");
  }

  @Test void givenAnswered_whenCalleeHangsUp_thenCompletedRemoteHangupAndAiClosed() {
    Call call = start();
    var line = telephony.line(call.id());
    line.answer();
    ScriptedAi.Session session = awaitOpenSession(call.id());
    line.hangUpRemotely();
    Call done = events.awaitEnded(call.id());
    assertEquals(CallStatus.COMPLETED, done.status());
    assertEquals(EndReason.REMOTE_HANGUP, done.endReason());
    assertEquals(1, session.closes());
    assertEquals(0, line.localHangups(), "the far end hung up: nothing to send");
  }

  @Test void givenAgentEnds_whenWordsQueued_thenTheyArePlayedThenAgentHangup() {
    Call call = start();
    var line = telephony.line(call.id());
    var media = line.answer();
    ScriptedAi.Session session = awaitOpenSession(call.id());
    Await.until("AI connected", () -> service.get(call.id()).aiConnected());
    for (int i = 0; i < 3; i++) session.speak(frame(5), 9);
    session.endByAgent();
    assertFalse(service.get(call.id()).isFinal(), "the goodbye is still queued");
    for (int i = 0; i < 3; i++) assertArrayEquals(frame(5), media.tick(frame(0)), "goodbye frame " + i);
    media.tick(frame(0)); // the queue runs dry: the hang-up follows
    Call done = events.awaitEnded(call.id());
    assertEquals(CallStatus.COMPLETED, done.status());
    assertEquals(EndReason.AGENT_HANGUP, done.endReason());
    assertEquals(1, line.localHangups());
  }

  @Test void givenAiFails_whenTalking_thenAiDisconnected() {
    Call call = start();
    telephony.line(call.id()).answer();
    ScriptedAi.Session session = awaitOpenSession(call.id());
    session.fail("socket closed 1011");
    Call done = events.awaitEnded(call.id());
    assertEquals(CallStatus.COMPLETED, done.status());
    assertEquals(EndReason.AI_DISCONNECTED, done.endReason());
    assertEquals("socket closed 1011", done.message());
    assertEquals(1, telephony.line(call.id()).localHangups());
  }

  @Test void givenShortMaxDuration_whenAnswered_thenEndsWithMaxDuration() {
    service.close();
    service = build(CallSettings.DEFAULTS.withMaxCallDuration(Duration.ofMillis(200)), AnsweringMachineDetector.OFF,
        AmdPolicy.DEFAULT);
    Call call = start();
    telephony.line(call.id()).answer();
    Call done = events.awaitEnded(call.id());
    assertEquals(EndReason.MAX_DURATION, done.endReason());
    assertEquals(CallStatus.COMPLETED, done.status());
  }

  @Test void givenShortRingTimeout_whenNeverAnswered_thenNoAnswerAndCancelSent() {
    service.close();
    service = build(CallSettings.DEFAULTS.withRingTimeout(Duration.ofMillis(200)), AnsweringMachineDetector.OFF,
        AmdPolicy.DEFAULT);
    Call call = start();
    telephony.line(call.id()).ring();
    Call done = events.awaitEnded(call.id());
    assertEquals(CallStatus.NO_ANSWER, done.status());
    assertEquals(EndReason.NO_ANSWER, done.endReason());
    assertEquals(1, telephony.line(call.id()).localHangups(), "CANCEL sent");
  }

  @Test void givenLimitReached_whenStart_thenLimitErrorAndNoDial() {
    service.close();
    service = build(CallSettings.DEFAULTS.withMaxConcurrentCalls(2), AnsweringMachineDetector.OFF, AmdPolicy.DEFAULT);
    start();
    start();
    CallLimitException e = assertThrows(CallLimitException.class, this::start);
    assertEquals(2, e.limit());
    assertEquals(2, telephony.dialled().size());
  }

  @Test void givenIdempotencyKey_whenStartedTwice_thenSameCallAndOneDial() {
    var cmd = new StartCallCommand(PhoneNumber.parse("79123456789"), null, Map.of(), "key-1");
    StartResult first = service.start(cmd);
    StartResult second = service.start(cmd);
    assertTrue(first.created());
    assertFalse(second.created());
    assertEquals(first.call().id(), second.call().id());
    assertEquals(1, telephony.dialled().size());
  }

  @Test void givenTelephonyNotReady_whenStart_thenUnavailableAndNothingStored() {
    telephony.health(new TelephonyHealth(false, "sip", "registration_failed", Map.of("last_error", "403")));
    TelephonyUnavailableException e = assertThrows(TelephonyUnavailableException.class, this::start);
    assertTrue(e.getMessage().contains("registration_failed"), e.getMessage());
    assertEquals(0, service.list(null, 10).size());
  }

  @Test void givenDialThrows_whenStart_thenFailedWithMessage() {
    telephony.failNextDial(new IllegalStateException("socket closed"));
    Call call = start();
    Call done = service.get(call.id());
    assertEquals(CallStatus.FAILED, done.status());
    assertEquals(EndReason.ERROR, done.endReason());
    assertTrue(done.message().contains("socket closed"));
    assertEquals(0, service.activeCalls());
  }

  @Test void givenAdapterThrowsOnEveryClose_whenCallEnds_thenStillFinalOnce() {
    ai.failClose(new IllegalStateException("close failed"));
    telephony.failHangups(new IllegalStateException("hangup failed"));
    Call call = start();
    telephony.line(call.id()).answer();
    ScriptedAi.Session session = awaitOpenSession(call.id());
    Call after = service.hangup(call.id());
    assertEquals(CallStatus.COMPLETED, after.status());
    assertEquals(1, session.closes());
    assertEquals(1, events.endedCount(call.id()));
    assertEquals(0, service.activeCalls());
  }

  @Test void givenAiOpenThrows_whenAnswered_thenAiDisconnected() {
    ai.failOpen(new IllegalStateException("connect refused"));
    Call call = start();
    telephony.line(call.id()).answer();
    Call done = events.awaitEnded(call.id());
    assertEquals(EndReason.AI_DISCONNECTED, done.endReason());
    assertTrue(done.message().contains("connect refused"));
  }

  @Test void givenUnsupportedAiFormat_whenReady_thenCallEndsSayingWhichFormat() {
    ai.readyOnOpen(false);
    Call call = start();
    telephony.line(call.id()).answer();
    ScriptedAi.Session session = awaitOpenSession(call.id());
    session.ready(new AudioFormat(AudioFormat.Encoding.PCM_S16LE, 11025), AudioFormat.PCM_8K);
    Call done = events.awaitEnded(call.id());
    assertEquals(EndReason.AI_DISCONNECTED, done.endReason());
    assertTrue(done.message().contains("pcm_11025"), done.message());
  }

  @Test void givenNoRingingReported_whenDialled_thenAiPreparedAtDial() {
    telephony.reportsRinging(false);
    Call call = start();
    Await.until("prepared at dial", () -> ai.session(call.id()) != null);
  }

  @Test void givenDtmf_whenNotAnswered_thenConflict_andWhenAnswered_thenSent() {
    Call call = start();
    assertThrows(CallStateException.class, () -> service.sendDtmf(call.id(), "12"));
    telephony.line(call.id()).answer();
    assertThrows(InvalidCallRequestException.class, () -> service.sendDtmf(call.id(), "12x"));
    assertThrows(InvalidCallRequestException.class, () -> service.sendDtmf(call.id(), "1".repeat(33)));
    service.sendDtmf(call.id(), "12#*AD");
    assertEquals("12#*AD", telephony.line(call.id()).dtmfSent());
    telephony.line(call.id()).dtmf('5');
    assertEquals(List.of('5'), events.dtmf);
  }

  @Test void givenUnknownId_whenGetOrHangup_thenNotFound() {
    CallId nobody = CallId.random();
    assertThrows(CallNotFoundException.class, () -> service.get(nobody));
    assertThrows(CallNotFoundException.class, () -> service.hangup(nobody));
    assertThrows(CallNotFoundException.class, () -> service.sendDtmf(nobody, "1"));
  }

  @Test void givenTranscriptAndCorrection_whenAgentCutOff_thenEntryReplaced() {
    Call call = start();
    telephony.line(call.id()).answer();
    ScriptedAi.Session session = awaitOpenSession(call.id());
    session.say(io.voiceagent.core.call.TranscriptEntry.Role.AGENT, "Hello, I am calling about your order number");
    session.say(io.voiceagent.core.call.TranscriptEntry.Role.USER, "Who is this?");
    session.correct("Hello, I am calling about your order number", "Hello, I am calling");
    List<TranscriptEntry> t = service.get(call.id()).transcript();
    assertEquals(2, t.size());
    assertEquals("Hello, I am calling", t.get(0).text());
    assertEquals(TranscriptEntry.Role.USER, t.get(1).role());
  }

  @Test void givenToolCalls_whenHandlerRegisteredOrNot_thenResultOrNotAvailable() throws Exception {
    Call call = start();
    telephony.line(call.id()).answer();
    ScriptedAi.Session session = awaitOpenSession(call.id());
    session.callTool("lookup_order", Map.of("id", "42"));
    assertEquals(ToolResult.ok("order 42 ships tomorrow"), session.awaitToolResult());
    session.callTool("transfer", Map.of());
    ToolResult missing = session.awaitToolResult();
    assertTrue(missing.isError());
    assertTrue(missing.result().contains("not available"));
  }

  @Test void givenList_whenFiltered_thenNewestFirst() {
    Call a = start();
    Call b = start();
    service.hangup(a.id());
    assertEquals(List.of(b.id(), a.id()), service.list(null, 10).stream().map(Call::id).toList());
    assertEquals(List.of(a.id()), service.list(CallStatus.CANCELED, 10).stream().map(Call::id).toList());
    assertEquals(1, service.list(null, 1).size());
  }

  // ------------------------------------------------------------ the AMD gate

  /**
   * A detector the test controls: it hands out the verdict callback and, when {@code holdGreetingEnd}, the
   * greeting-end callback too (otherwise the interface's default answers at once).
   */
  private static final class ManualDetector implements AnsweringMachineDetector {
    final AtomicReference<Consumer<AmdVerdict>> verdict = new AtomicReference<>();
    final AtomicReference<Consumer<String>> greetingEnd = new AtomicReference<>();
    volatile boolean holdGreetingEnd;
    volatile int observed;
    volatile boolean canceled;

    @Override public Detection start(CallId id, long startNanos, Consumer<AmdVerdict> v) {
      verdict.set(v);
      return new Detection() {
        @Override public void observe(short[] pcm, long nowNanos) {
          observed++;
        }

        @Override public void cancel() {
          canceled = true;
        }

        @Override public void awaitGreetingEnd(Consumer<String> ended) {
          if (holdGreetingEnd) {
            greetingEnd.set(ended);
          } else {
            Detection.super.awaitGreetingEnd(ended);
          }
        }
      };
    }
  }

  @Test void givenDetection_whenHuman_thenAiOpensWithAnswerBuffer() {
    service.close();
    ManualDetector amd = new ManualDetector();
    service = build(CallSettings.DEFAULTS, amd, AmdPolicy.DEFAULT);
    Call call = start();
    var media = telephony.line(call.id()).answer();
    Await.until("detection started", () -> amd.verdict.get() != null);
    Await.until("AI prepared", () -> ai.session(call.id()) != null);
    media.tick(frame(1));
    media.tick(frame(2));
    assertEquals(2, amd.observed);
    assertFalse(ai.session(call.id()).isOpen(), "no AI before the verdict");
    amd.verdict.get().accept(new AmdVerdict(AmdResult.HUMAN, "after_greeting_silence", 900));
    ScriptedAi.Session session = awaitOpenSession(call.id());
    Await.until("AI connected", () -> service.get(call.id()).aiConnected());
    media.tick(frame(3));
    short[] got = session.receivedSamples();
    assertEquals(3 * 160, got.length, "the agent hears the Hello? said during detection");
    assertEquals(1, got[0]);
    Call now = service.get(call.id());
    assertEquals(AmdResult.HUMAN, now.amd().result());
    assertEquals(900, now.amd().millis());
  }

  @Test void givenDetection_whenMachineAndPolicyHangup_thenMachineAndAiNeverOpened() {
    service.close();
    ManualDetector amd = new ManualDetector();
    service = build(CallSettings.DEFAULTS, amd, AmdPolicy.DEFAULT);
    Call call = start();
    telephony.line(call.id()).answer();
    Await.until("detection started", () -> amd.verdict.get() != null);
    amd.verdict.get().accept(new AmdVerdict(AmdResult.MACHINE, "long_greeting", 1500));
    Call done = events.awaitEnded(call.id());
    assertEquals(CallStatus.COMPLETED, done.status());
    assertEquals(EndReason.MACHINE, done.endReason());
    ScriptedAi.Session s = ai.session(call.id());
    assertTrue(s == null || s.opens() == 0, "no AI credits spent on a machine");
  }

  @Test void givenDetection_whenMachineAndPolicyConnect_thenAgentGetsVoicemailMessage() {
    service.close();
    ManualDetector amd = new ManualDetector();
    service = build(CallSettings.DEFAULTS, amd,
        new AmdPolicy(AmdPolicy.Action.CONNECT, AmdPolicy.Action.CONNECT, "Please call us back."));
    Call call = start();
    telephony.line(call.id()).answer();
    Await.until("detection started", () -> amd.verdict.get() != null);
    amd.verdict.get().accept(new AmdVerdict(AmdResult.MACHINE, "long_greeting", 1500));
    ScriptedAi.Session session = awaitOpenSession(call.id());
    assertEquals("Please call us back.", session.options().firstMessage());
  }

  @Test void givenMachineAndPolicyConnect_whenGreetingStillPlaying_thenAgentWaitsForItsEndAndSkipsIt() {
    service.close();
    ManualDetector amd = new ManualDetector();
    amd.holdGreetingEnd = true;
    service = build(CallSettings.DEFAULTS, amd,
        new AmdPolicy(AmdPolicy.Action.CONNECT, AmdPolicy.Action.CONNECT, "Please call us back."));
    Call call = start();
    var media = telephony.line(call.id()).answer();
    Await.until("detection attached", () -> {
      media.tick(frame(1)); // the greeting
      return amd.observed > 0;
    });
    amd.verdict.get().accept(new AmdVerdict(AmdResult.MACHINE, "long_greeting", 1500));
    Await.until("asked to wait for the greeting's end", () -> amd.greetingEnd.get() != null);
    int before = amd.observed;
    media.tick(frame(2)); // the greeting goes on, then its beep
    assertEquals(before + 1, amd.observed, "the detection keeps listening after a machine verdict");
    ScriptedAi.Session prepared = ai.session(call.id());
    assertTrue(prepared == null || prepared.opens() == 0, "the agent does not talk over the greeting");
    Call waiting = service.get(call.id());
    assertEquals(CallStatus.ANSWERED, waiting.status());
    assertEquals(AmdResult.MACHINE, waiting.amd().result());

    amd.greetingEnd.get().accept("beep");
    ScriptedAi.Session session = awaitOpenSession(call.id());
    assertEquals("Please call us back.", session.options().firstMessage());
    Await.until("AI connected", () -> service.get(call.id()).aiConnected());
    media.tick(frame(9)); // the recording after the beep
    short[] got = session.receivedSamples();
    assertEquals(160, got.length, "the agent hears what follows the greeting, not the greeting");
    assertEquals(9, got[0]);
    int afterEnd = amd.observed;
    media.tick(frame(9));
    assertEquals(afterEnd, amd.observed, "the detection is done once the greeting has ended");
    assertFalse(amd.canceled);
  }

  @Test void givenMachineAndPolicyConnect_whenCallEndsDuringGreeting_thenAiNeverOpenedAndDetectionCanceled() {
    service.close();
    ManualDetector amd = new ManualDetector();
    amd.holdGreetingEnd = true;
    service = build(CallSettings.DEFAULTS, amd,
        new AmdPolicy(AmdPolicy.Action.CONNECT, AmdPolicy.Action.CONNECT, "Please call us back."));
    Call call = start();
    var media = telephony.line(call.id()).answer();
    Await.until("detection attached", () -> {
      media.tick(frame(1));
      return amd.observed > 0;
    });
    amd.verdict.get().accept(new AmdVerdict(AmdResult.MACHINE, "max_words", 1200));
    Await.until("asked to wait for the greeting's end", () -> amd.greetingEnd.get() != null);
    telephony.line(call.id()).hangUpRemotely();
    events.awaitEnded(call.id());
    assertTrue(amd.canceled, "the detection is canceled with the call");
    ScriptedAi.Session s = ai.session(call.id());
    assertTrue(s == null || s.opens() == 0, "no agent for a call that has ended");
  }

  @Test void givenDetectionRunning_whenCalleeHangsUp_thenDetectionCanceled() {
    service.close();
    ManualDetector amd = new ManualDetector();
    service = build(CallSettings.DEFAULTS, amd, AmdPolicy.DEFAULT);
    Call call = start();
    telephony.line(call.id()).answer();
    Await.until("detection started", () -> amd.verdict.get() != null);
    Await.until("detection attached", () -> {
      telephony.line(call.id()).media.tick(frame(0));
      return amd.observed > 0;
    });
    telephony.line(call.id()).hangUpRemotely();
    events.awaitEnded(call.id());
    assertTrue(amd.canceled);
  }

  @Test void givenCloseWithActiveCalls_whenClosed_thenAllFinal() {
    Call a = start();
    Call b = start();
    telephony.line(b.id()).answer();
    service.close();
    assertTrue(service.get(a.id()).isFinal());
    assertTrue(service.get(b.id()).isFinal());
    assertSame(EndReason.LOCAL_HANGUP, service.get(b.id()).endReason());
    assertThrows(TelephonyUnavailableException.class, this::start);
  }

  @Test void givenCalleeTurn_whenAgentAnswers_thenTurnLatencyFromTheEndOfSpeech() {
    service.close();
    java.util.concurrent.atomic.AtomicLong now = new java.util.concurrent.atomic.AtomicLong(1_000_000_000L);
    service = CallService.builder().telephony(telephony).ai(ai).listener(events).nanoClock(now::get).build();
    Call call = start();
    var media = telephony.line(call.id()).answer();
    ScriptedAi.Session session = awaitOpenSession(call.id());
    Await.until("AI connected", () -> service.get(call.id()).aiConnected());
    long t = now.get();
    for (int f = 0; f < 100; f++) {
      short[] frame = new short[160];
      if (f >= 10 && f < 60) { // one second of syllable-like speech, then silence
        for (int i = 0; i < 160; i++) {
          double s = (f * 160 + i) / 8000.0;
          frame[i] = (short) (6000 * (0.55 + 0.45 * Math.sin(2 * Math.PI * 4 * s)) * Math.sin(2 * Math.PI * 440 * s));
        }
      }
      t += 20_000_000L;
      now.set(t);
      media.tick(frame, t);
    }
    long speechEnd = 1_000_000_000L + 60 * 20_000_000L;
    now.set(speechEnd + 700_000_000L);
    session.speak(frame(4), 7);
    List<Long> turns = service.get(call.id()).latency().turnMs();
    assertEquals(1, turns.size(), turns.toString());
    assertTrue(Math.abs(turns.get(0) - 700) <= 40, "measured from the end of speech: " + turns);
  }

  @Test void givenAnswerWithoutRinging_whenPrepareAndOpenRace_thenExactlyOneSessionPreparedAndOpened() {
    for (int round = 0; round < 50; round++) {
      Call call = start();
      telephony.line(call.id()).answer();
      awaitOpenSession(call.id());
      service.hangup(call.id());
      long forThisCall = ai.sessions().stream().filter(x -> x.callId.equals(call.id())).count();
      assertEquals(1, forThisCall, "round " + round + ": one session per call, never a spare one");
    }
  }
}
