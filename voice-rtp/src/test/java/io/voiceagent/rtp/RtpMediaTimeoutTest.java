package io.voiceagent.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RtpMediaTimeoutTest extends EngineFixture {
  @Test void givenFarEndStopsSending_whenTimeoutPasses_thenListenerToldOnce() throws Exception {
    RtpConfig base = config(4);
    engine(new RtpConfig(base.bindAddress(), base.portMin(), base.portMax(), Duration.ofSeconds(1)));
    TestPeer peer = closeLater(new TestPeer());
    RecordingListener listener = new RecordingListener();
    RtpSession session = engine.open(listener);
    session.start(peer.address(), RtpCodec.PCMU, -1);
    for (int i = 0; i < 5; i++) {
      peer.send(TestPeer.rtp(false, 0, i, 160 * i, 3, TestPeer.filled(160, 0xFF)), RtpSessionTest.localOf(session));
    }
    Await.until("packets counted", WAIT, () -> session.stats().packetsReceived() == 4);
    assertEquals(Boolean.TRUE, listener.timeouts.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS));
    assertTrue(listener.timeouts.isEmpty());
  }
}
