package io.voiceagent.rtp;

/** The G.711 codecs we negotiate, with their static payload types. */
public enum RtpCodec {
  PCMU(0), PCMA(8);

  private final int payloadType;

  RtpCodec(int payloadType) {
    this.payloadType = payloadType;
  }

  public int payloadType() {
    return payloadType;
  }

  public static RtpCodec forPayloadType(int pt) {
    for (RtpCodec c : values()) {
      if (c.payloadType == pt) return c;
    }
    throw new IllegalArgumentException("payload type " + pt + " is not PCMU (0) or PCMA (8)");
  }
}
