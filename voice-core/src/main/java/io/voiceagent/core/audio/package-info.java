/** Audio between the phone line and the AI: formats, pipeline, playout queue, and (DSP issue) G.711 and resampling. */
package io.voiceagent.core.audio;
