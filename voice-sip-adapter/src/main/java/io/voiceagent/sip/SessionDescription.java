package io.voiceagent.sip;

import io.voiceagent.rtp.MediaDirection;
import io.voiceagent.rtp.RtpCodec;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The parts of a far end's SDP (RFC 4566) that matter to an audio call: the first {@code m=audio} line,
 * its connection address (media-level {@code c=} wins over the session's), payload types in preference
 * order, the telephone-event payload type and the direction. Also writes our own offers and answers.
 *
 * @param address            null when {@code c=} is {@code 0.0.0.0} (old-style hold) or absent
 * @param port               0 when the stream is rejected
 * @param payloadTypes       in the order the far end listed them (its preference)
 * @param telephoneEventType the far end's RFC 4733 payload type, or -1
 */
record SessionDescription(InetAddress address, int port, List<Integer> payloadTypes, int telephoneEventType,
    MediaDirection direction) {

  /** What we offer: PCMA first (Exolve picks it), then PCMU, then RFC 4733 events on 101. */
  static final int TELEPHONE_EVENT_PT = 101;

  SessionDescription {
    Objects.requireNonNull(payloadTypes, "payloadTypes");
    Objects.requireNonNull(direction, "direction");
    payloadTypes = List.copyOf(payloadTypes);
  }

  /** The first codec of the far end's list that we support: the negotiated one. */
  Optional<RtpCodec> firstCommonCodec() {
    for (int pt : payloadTypes) {
      if (pt == RtpCodec.PCMA.payloadType()) return Optional.of(RtpCodec.PCMA);
      if (pt == RtpCodec.PCMU.payloadType()) return Optional.of(RtpCodec.PCMU);
    }
    return Optional.empty();
  }

  /** Hold: the far end will not send (sendonly from it means it only sends; inactive or c=0.0.0.0 means neither). */
  boolean isHold() {
    return direction == MediaDirection.SENDONLY || direction == MediaDirection.INACTIVE || address == null;
  }

  /**
   * Parses an SDP body.
   *
   * @throws IllegalArgumentException naming what is missing or malformed
   */
  static SessionDescription parse(byte[] body) {
    if (body == null || body.length == 0) throw new IllegalArgumentException("SDP body is empty");
    String text = new String(body, StandardCharsets.UTF_8);
    String sessionC = null;
    String mediaC = null;
    boolean inAudio = false;
    boolean seenAudio = false;
    int port = -1;
    List<Integer> pts = new ArrayList<>();
    Map<Integer, String> rtpmap = new HashMap<>();
    MediaDirection sessionDir = MediaDirection.SENDRECV;
    MediaDirection mediaDir = null;
    for (String raw : text.split("\r?\n")) {
      String line = raw.trim();
      if (line.length() < 2 || line.charAt(1) != '=') continue;
      char type = line.charAt(0);
      String value = line.substring(2).trim();
      if (type == 'm') {
        if (seenAudio) {
          inAudio = false;
          continue;
        }
        String[] f = value.split("\\s+");
        if (f.length >= 3 && f[0].equalsIgnoreCase("audio")) {
          inAudio = true;
          seenAudio = true;
          port = parsePort(f[1]);
          for (int i = 3; i < f.length; i++) {
            try {
              int pt = Integer.parseInt(f[i]);
              if (pt >= 0 && pt <= 127) pts.add(pt);
            } catch (NumberFormatException e) {
              // a non-numeric format is not RTP/AVP: skip it
            }
          }
        } else {
          inAudio = false;
        }
      } else if (type == 'c') {
        if (inAudio) mediaC = value;
        else if (!seenAudio) sessionC = value;
      } else if (type == 'a') {
        MediaDirection d = direction(value);
        if (d != null) {
          if (inAudio) mediaDir = d;
          else if (!seenAudio) sessionDir = d;
        } else if (inAudio && value.startsWith("rtpmap:")) {
          int sp = value.indexOf(' ');
          if (sp > 7) {
            try {
              rtpmap.put(Integer.parseInt(value.substring(7, sp)), value.substring(sp + 1).trim().toLowerCase(Locale.ROOT));
            } catch (NumberFormatException e) {
              // malformed rtpmap: ignored, like any attribute we cannot read
            }
          }
        }
      }
    }
    if (!seenAudio) throw new IllegalArgumentException("SDP has no m=audio line");
    String c = mediaC != null ? mediaC : sessionC;
    if (c == null) throw new IllegalArgumentException("SDP has no c= line for its audio stream");
    InetAddress address = connectionAddress(c);
    int te = -1;
    for (var e : rtpmap.entrySet()) {
      if (e.getValue().startsWith("telephone-event/8000") && pts.contains(e.getKey())) {
        te = e.getKey();
        break;
      }
    }
    return new SessionDescription(address, port, pts, te, mediaDir != null ? mediaDir : sessionDir);
  }

  private static int parsePort(String s) {
    int slash = s.indexOf('/');
    String p = slash < 0 ? s : s.substring(0, slash);
    try {
      int port = Integer.parseInt(p);
      if (port < 0 || port > 65535) throw new NumberFormatException();
      return port;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("SDP m=audio port '" + p + "' is not a port number");
    }
  }

  private static InetAddress connectionAddress(String c) {
    String[] f = c.split("\\s+");
    if (f.length < 3 || !f[0].equals("IN") || !(f[1].equals("IP4") || f[1].equals("IP6"))) {
      throw new IllegalArgumentException("SDP c= line '" + c + "' is not 'IN IP4 <address>'");
    }
    String host = f[2];
    int slash = host.indexOf('/');
    if (slash >= 0) host = host.substring(0, slash);
    if (host.equals("0.0.0.0") || host.equals("::")) return null;
    if (!host.matches("[0-9.]+|[0-9a-fA-F:]+")) {
      // A name here would need DNS on the SIP thread; carriers always send literals.
      throw new IllegalArgumentException("SDP c= address '" + host + "' is not an IP literal");
    }
    try {
      return InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("SDP c= address '" + host + "' is not valid");
    }
  }

  private static MediaDirection direction(String attr) {
    switch (attr.toLowerCase(Locale.ROOT)) {
      case "sendrecv": return MediaDirection.SENDRECV;
      case "sendonly": return MediaDirection.SENDONLY;
      case "recvonly": return MediaDirection.RECVONLY;
      case "inactive": return MediaDirection.INACTIVE;
      default: return null;
    }
  }

  /** Our offer: PCMA, PCMU, telephone-event 101 (0-15), ptime 20. */
  static String offer(String address, int port, long sessionId, long version, MediaDirection direction) {
    return build(address, port, sessionId, version, List.of(RtpCodec.PCMA, RtpCodec.PCMU), TELEPHONE_EVENT_PT,
        direction);
  }

  /**
   * Our answer to {@code offer}: the first codec of its list we support, its telephone-event type when it has
   * one, and the direction that mirrors its own.
   *
   * @throws IllegalArgumentException when it offers no codec we support
   */
  static String answer(SessionDescription offer, String address, int port, long sessionId, long version) {
    RtpCodec codec = offer.firstCommonCodec().orElseThrow(() -> new IllegalArgumentException(
        "no common codec: offered payload types " + offer.payloadTypes() + ", we support PCMA (8) and PCMU (0)"));
    return build(address, port, sessionId, version, List.of(codec), offer.telephoneEventType(),
        mirror(offer.direction()));
  }

  static MediaDirection mirror(MediaDirection theirs) {
    switch (theirs) {
      case SENDONLY: return MediaDirection.RECVONLY;
      case RECVONLY: return MediaDirection.SENDONLY;
      case INACTIVE: return MediaDirection.INACTIVE;
      default: return MediaDirection.SENDRECV;
    }
  }

  private static String build(String address, int port, long sessionId, long version, List<RtpCodec> codecs,
      int telephoneEventType, MediaDirection direction) {
    String ipVersion = address.contains(":") ? "IP6" : "IP4";
    StringBuilder m = new StringBuilder("m=audio ").append(port).append(" RTP/AVP");
    for (RtpCodec c : codecs) m.append(' ').append(c.payloadType());
    if (telephoneEventType >= 0) m.append(' ').append(telephoneEventType);
    StringBuilder s = new StringBuilder(320);
    s.append("v=0\r\n")
        .append("o=- ").append(sessionId).append(' ').append(version).append(" IN ").append(ipVersion).append(' ')
        .append(address).append("\r\n")
        .append("s=-\r\n")
        .append("c=IN ").append(ipVersion).append(' ').append(address).append("\r\n")
        .append("t=0 0\r\n")
        .append(m).append("\r\n");
    for (RtpCodec c : codecs) {
      s.append("a=rtpmap:").append(c.payloadType()).append(' ').append(c.name()).append("/8000\r\n");
    }
    if (telephoneEventType >= 0) {
      s.append("a=rtpmap:").append(telephoneEventType).append(" telephone-event/8000\r\n")
          .append("a=fmtp:").append(telephoneEventType).append(" 0-15\r\n");
    }
    s.append("a=ptime:20\r\n")
        .append("a=").append(direction.name().toLowerCase(Locale.ROOT)).append("\r\n");
    return s.toString();
  }
}
