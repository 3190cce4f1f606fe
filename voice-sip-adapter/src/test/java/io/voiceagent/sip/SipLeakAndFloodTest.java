package io.voiceagent.sip;

import static io.voiceagent.sip.SipTestSupport.WAIT;
import static io.voiceagent.sip.SipTestSupport.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voiceagent.core.call.CallId;
import io.voiceagent.core.call.EndReason;
import io.voiceagent.core.call.PhoneNumber;
import io.voiceagent.core.telephony.DialRequest;
import io.voiceagent.rtp.RtpConfig;
import io.voiceagent.rtp.RtpEngine;
import java.io.File;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** 1,000 calls in a loop leave nothing behind; a flood of strangers' INVITEs costs no state. */
class SipLeakAndFloodTest {
  private static final int CALLS = 1000;
  private static final int AT_ONCE = 20;

  private static int openFds() {
    String[] fds = new File("/proc/self/fd").list();
    return fds == null ? -1 : fds.length;
  }

  @Test void givenThousandCallsInALoop_whenAllHaveEnded_thenThreadsFdsDialogsAndRtpPortsAreBackToBaseline()
      throws Exception {
    RtpEngine rtp = RtpEngine.start(new RtpConfig(InetAddress.getLoopbackAddress(), 30000, 39998, Duration.ofSeconds(30)));
    // sipp -m counts calls: it serves exactly CALLS of them, then exits 0 if every one passed
    try (Sipp callee = Sipp.uas("uas_answer_quick.xml", Map.of(), CALLS)) {
      SipUserAgent ua = SipUserAgent.builder(SipTestSupport.config(callee.port).build()).rtpEngine(rtp).start();
      try {
        // warm up one call so lazily created stack threads count in the baseline
        runCalls(ua, 1);
        await("warm-up dialogs gone", WAIT, ua::stackDialogs, n -> n == 0);
        int threads = Thread.activeCount();
        int fds = openFds();

        runCalls(ua, CALLS - 1);

        await("no active calls", WAIT, ua::activeCalls, n -> n == 0);
        await("no stack dialogs", Duration.ofSeconds(60), ua::stackDialogs, n -> n == 0);
        assertEquals(0, rtp.portsInUse(), "RTP ports back to baseline");
        await("threads back to baseline", WAIT, Thread::activeCount, n -> n <= threads);
        await("fds back to baseline", WAIT, SipLeakAndFloodTest::openFds, n -> n <= fds + 2);
        assertEquals(0, callee.awaitExit(Duration.ofSeconds(60)), callee.trace());
      } finally {
        ua.close();
        rtp.close();
      }
    }
  }

  /** Places {@code n} calls, {@value #AT_ONCE} at a time; each is answered, hung up and must end locally. */
  private static void runCalls(SipUserAgent ua, int n) throws InterruptedException {
    int done = 0;
    while (done < n) {
      int batch = Math.min(AT_ONCE, n - done);
      List<CallId> ids = new ArrayList<>();
      List<RecordingListener> ls = new ArrayList<>();
      for (int i = 0; i < batch; i++) {
        CallId id = CallId.random();
        RecordingListener l = new RecordingListener();
        ids.add(id);
        ls.add(l);
        ua.dial(new DialRequest(id, new PhoneNumber("79123456789"), Duration.ofSeconds(60)), l);
      }
      for (int i = 0; i < batch; i++) {
        ls.get(i).awaitEvent("answered", WAIT);
        ua.hangup(ids.get(i));
      }
      for (RecordingListener l : ls) {
        assertEquals(EndReason.LOCAL_HANGUP, l.awaitEnd(WAIT).reason());
        assertEquals(1, l.endedCount.get());
      }
      done += batch;
    }
  }

  @Test void givenInviteFloodFromStrangers_whenNoPolicy_thenEveryInviteDeclinedAndNoStateKept() throws Exception {
    FakeRtpEngine rtp = new FakeRtpEngine();
    SipConfig config = SipConfig.builder(SipTestSupport.USER, "sip.test")
        .bindAddress("127.0.0.1").localPort(Sipp.freeUdpPort()).register(false).sessionExpires(Duration.ZERO).build();
    SipUserAgent ua = SipUserAgent.builder(config).rtpEngine(rtp).start();
    String target = "127.0.0.1:" + ua.localAddress().getPort();
    // warm up: the stack and our control thread start their threads lazily
    try (Sipp warmUp = Sipp.uac("uac_invite_rejected.xml", target, Map.of(), 10, "-s", SipTestSupport.USER)) {
      assertEquals(0, warmUp.awaitExit(WAIT), warmUp.trace());
    }
    int threads = Thread.activeCount();
    int invites = 3000;
    try (Sipp flood = Sipp.uac("uac_invite_rejected.xml", "127.0.0.1:" + ua.localAddress().getPort(), Map.of(),
        invites, "-r", "300", "-l", "1000", "-s", SipTestSupport.USER)) {
      assertEquals(0, flood.awaitExit(Duration.ofSeconds(120)), flood.trace());
      assertEquals(invites + 10, ua.rejectedInvites());
      assertEquals(0, ua.activeCalls());
      assertEquals(0, rtp.sessions.size(), "no media for strangers");
      assertTrue(Thread.activeCount() <= threads + 1, "no thread per INVITE: " + Thread.activeCount() + " vs " + threads);
      assertTrue(ua.health().ready(), "still healthy");
      await("no stack dialogs", WAIT, ua::stackDialogs, n -> n == 0);
      await("no stack transactions", Duration.ofSeconds(60), ua::stackTransactions, n -> n == 0);
    } finally {
      ua.close();
    }
  }
}
