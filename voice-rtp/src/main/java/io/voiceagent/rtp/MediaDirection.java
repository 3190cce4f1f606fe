package io.voiceagent.rtp;

/** SDP media direction, as the far end declared it. */
public enum MediaDirection { SENDRECV, SENDONLY, RECVONLY, INACTIVE }
