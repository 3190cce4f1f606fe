package io.voiceagent.core.audio;

/** Makes a call's pipeline once the AI session has said which formats it speaks. */
@FunctionalInterface
public interface AudioPipelineFactory {
  /**
   * @throws IllegalArgumentException when a format is not supported, naming it
   */
  AudioPipeline create(AudioFormat aiInput, AudioFormat aiOutput);
}
