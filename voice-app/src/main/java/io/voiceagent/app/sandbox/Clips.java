package io.voiceagent.app.sandbox;

import io.voiceagent.core.audio.G711;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The sandbox's recorded clips (8 kHz µ-law, made by {@code scripts/make-sandbox-audio.sh}). */
final class Clips {
  static final short[] AGENT_GREETING = load("agent-greeting");
  static final short[] AGENT_REPLY = load("agent-reply");
  static final short[] CALLEE_HELLO = load("callee-hello");
  static final short[] CALLEE_REPLY = load("callee-reply");

  private Clips() {}

  private static short[] load(String name) {
    try (InputStream in = Clips.class.getResourceAsStream("/sandbox/" + name + ".ul")) {
      if (in == null) throw new IllegalStateException("sandbox clip " + name + ".ul is missing from the jar");
      byte[] ulaw = in.readAllBytes();
      short[] pcm = new short[ulaw.length];
      G711.decode(G711.Law.ULAW, ulaw, 0, pcm, 0, ulaw.length);
      return pcm;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Little-endian 16-bit bytes of {@code pcm}. */
  static byte[] toPcmBytes(short[] pcm) {
    byte[] b = new byte[pcm.length * 2];
    for (int i = 0; i < pcm.length; i++) {
      b[2 * i] = (byte) pcm[i];
      b[2 * i + 1] = (byte) (pcm[i] >> 8);
    }
    return b;
  }
}
