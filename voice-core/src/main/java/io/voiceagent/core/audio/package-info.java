/**
 * Audio between the phone line and the AI: formats, the per-call {@link io.voiceagent.core.audio.AudioPipeline}
 * ({@link io.voiceagent.core.audio.AudioPipelines#standard()} for every ElevenLabs format), the playout queue, and
 * the DSP under them: bit-exact {@link io.voiceagent.core.audio.G711} and the
 * {@link io.voiceagent.core.audio.Resampler}. See {@code docs/audio.md}.
 */
package io.voiceagent.core.audio;
