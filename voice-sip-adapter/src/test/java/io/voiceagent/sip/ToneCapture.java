package io.voiceagent.sip;

import io.voiceagent.core.telephony.MediaHandler;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A media handler that keeps the first few seconds of callee audio (written on the pacer thread, into a
 * buffer allocated up front) and sends silence; {@link #power} measures one frequency with Goertzel.
 */
final class ToneCapture implements MediaHandler {
  private final short[] samples;
  private final AtomicInteger filled = new AtomicInteger();

  ToneCapture(int maxSamples) {
    this.samples = new short[maxSamples];
  }

  @Override public void calleeAudio(short[] pcm, long nowNanos) {
    int at = filled.get();
    if (at >= samples.length) return;
    boolean silent = true;
    for (short s : pcm) {
      if (Math.abs(s) > 64) {
        silent = false;
        break;
      }
    }
    if (silent && at == 0) return; // start at the first sound, so the window holds tone only
    int n = Math.min(pcm.length, samples.length - at);
    System.arraycopy(pcm, 0, samples, at, n);
    filled.set(at + n);
  }

  @Override public boolean agentAudio(short[] out) {
    return false;
  }

  int filled() {
    return filled.get();
  }

  /** Goertzel power of {@code hz} over the captured samples (8 kHz). */
  double power(double hz) {
    int n = filled.get();
    double w = 2 * Math.PI * hz / 8000.0;
    double coeff = 2 * Math.cos(w);
    double s1 = 0;
    double s2 = 0;
    for (int i = 0; i < n; i++) {
      double s0 = samples[i] + coeff * s1 - s2;
      s2 = s1;
      s1 = s0;
    }
    return s1 * s1 + s2 * s2 - coeff * s1 * s2;
  }
}
