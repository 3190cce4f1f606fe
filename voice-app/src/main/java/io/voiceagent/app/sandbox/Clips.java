package io.voiceagent.app.sandbox;

import io.voiceagent.core.audio.G711;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The sandbox's recorded clips (8 kHz µ-law, made by {@code scripts/make-sandbox-audio.sh}). */
final class Clips {
  /** The agent speaks µ-law as it comes (ulaw_8000, like an ElevenLabs agent set up for phones). */
  static final byte[] AGENT_GREETING = raw("agent-greeting");
  static final byte[] AGENT_REPLY = raw("agent-reply");
  /** The callee speaks into the phone: 8 kHz PCM for its media handler. */
  static final short[] CALLEE_HELLO = pcm("callee-hello");
  static final short[] CALLEE_REPLY = pcm("callee-reply");

  private Clips() {}

  private static byte[] raw(String name) {
    try (InputStream in = Clips.class.getResourceAsStream("/sandbox/" + name + ".ul")) {
      if (in == null) throw new IllegalStateException("sandbox clip " + name + ".ul is missing from the jar");
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static short[] pcm(String name) {
    byte[] ulaw = raw(name);
    short[] pcm = new short[ulaw.length];
    G711.decode(G711.Law.ULAW, ulaw, 0, pcm, 0, ulaw.length);
    return pcm;
  }
}
