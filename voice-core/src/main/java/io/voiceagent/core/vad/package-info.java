/**
 * Voice activity detection on 10/20 ms frames of 8 or 16 kHz PCM: {@link io.voiceagent.core.vad.Vad}, configured
 * by {@link io.voiceagent.core.vad.VadConfig}. Used by answering-machine detection (per-frame speech/silence with an
 * app_amd-style mean-magnitude threshold) and by turn latency (when the callee stopped speaking).
 */
package io.voiceagent.core.vad;
