/**
 * The adaptive jitter buffer: one per RTP stream, fed by the RTP I/O thread, polled for 20 ms frames of 8 kHz
 * PCM by the media pacer. It decodes G.711, hides loss with packet-loss concealment and adapts
 * its delay to the 95th percentile of arrival jitter.
 */
package io.voiceagent.core.jitter;
