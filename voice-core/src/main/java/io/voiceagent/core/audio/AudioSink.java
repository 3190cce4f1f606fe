package io.voiceagent.core.audio;

/** Where converted callee audio goes: the AI session's upstream. */
@FunctionalInterface
public interface AudioSink {
  /** Takes {@code length} bytes of audio; copies them before returning. Non-blocking. */
  void sendAudio(byte[] data, int offset, int length);
}
