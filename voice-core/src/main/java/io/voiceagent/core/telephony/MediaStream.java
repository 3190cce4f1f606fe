package io.voiceagent.core.telephony;

/**
 * The audio of an answered call, as 20 ms frames of 8 kHz linear PCM. The telephony adapter owns it and
 * closes it when the call ends.
 */
public interface MediaStream {
  /**
   * Routes the call's audio through {@code handler} from the next 20 ms tick on, replacing any previous
   * handler; {@code null} detaches (silence is sent, received audio is dropped).
   */
  void attach(MediaHandler handler);
}
