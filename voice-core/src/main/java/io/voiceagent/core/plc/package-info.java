/**
 * Packet-loss concealment for 8 kHz narrowband speech: {@link io.voiceagent.core.plc.G711Plc}, after ITU-T G.711
 * Appendix I.
 */
package io.voiceagent.core.plc;
