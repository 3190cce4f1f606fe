/** The RTP/RTCP media engine: sessions, the shared pacer, receive path, DTMF and statistics. */
package io.voiceagent.rtp;
