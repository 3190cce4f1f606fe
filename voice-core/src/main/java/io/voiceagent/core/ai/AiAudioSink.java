package io.voiceagent.core.ai;

/** Where converted callee audio goes: the AI session's upstream. */
@FunctionalInterface
public interface AiAudioSink {
  /** Takes {@code length} bytes of audio; copies them before returning. Non-blocking. */
  void sendAudio(byte[] data, int offset, int length);
}
