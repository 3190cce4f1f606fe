package io.voiceagent.sip;

import io.voiceagent.core.call.CallId;
import io.voiceagent.core.call.EndReason;
import io.voiceagent.core.telephony.MediaStats;
import io.voiceagent.core.telephony.TelephonyEnd;
import io.voiceagent.core.telephony.TelephonyListener;
import io.voiceagent.rtp.MediaDirection;
import io.voiceagent.rtp.RtpCodec;
import io.voiceagent.rtp.RtpException;
import io.voiceagent.rtp.RtpSession;
import java.net.InetSocketAddress;
import java.text.ParseException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.address.Address;
import javax.sip.address.SipURI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.Header;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Message;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One call, outbound (we send the INVITE) or inbound (an {@link InboundCallPolicy} accepted it).
 *
 * <pre>
 * outbound: STARTING → CALLING → PROCEEDING (1xx) → CONFIRMED (2xx ACKed) → TERMINATING (BYE/CANCEL) → ENDED
 * inbound:  OFFERED (180 sent, ringing) → ANSWERING (200 sent) → CONFIRMED (ACK) → TERMINATING → ENDED
 * </pre>
 *
 * Any state may jump to ENDED. {@link TelephonyListener#ended} is called exactly once, on entering ENDED,
 * after the media session is closed and the call is forgotten by the user agent.
 *
 * <p>Thread rule: confined to the user agent's {@code sip-control} thread; nothing here is shared.
 */
final class CallLeg {
  private static final Logger log = LoggerFactory.getLogger(CallLeg.class);
  private static final int MAX_STALE_RETRIES = 2;

  enum State { STARTING, CALLING, PROCEEDING, OFFERED, ANSWERING, CONFIRMED, TERMINATING, ENDED }

  private enum Reported { NONE, RINGING, EARLY }

  final CallId id;
  final boolean outbound;
  private final TelephonyListener listener;
  private final SipUserAgent ua;
  private final SipEndpoint ep;

  private State state;
  private Reported reported = Reported.NONE;
  private String sipCallId;
  private RtpSession media;
  private MediaStats lastStats;

  // SDP: ours and what we applied
  private final long sdpSessionId = Tags.sessionId();
  private long sdpVersion = 1;
  private String localSdp;
  private MediaDirection localDirection = MediaDirection.SENDRECV;
  private SessionDescription applied;

  // outbound INVITE
  private Request invite;
  private ClientTransaction inviteTx;
  private Header inviteCredentials;
  private int inviteAuthRetries;
  private int inviteStaleRetries;
  private boolean sessionIntervalRetried;
  private boolean cancelRequested;
  private boolean cancelSent;
  private String earlyToTag;
  private String answeredToTag;
  private Request lastAck;

  // inbound INVITE
  private ServerTransaction inviteSt;
  private Request inboundInvite;
  private SessionDescription offer;
  private boolean byeAfterAck;
  private ScheduledFuture<?> answerTimer;

  // both
  private Dialog dialog;
  private TelephonyEnd pendingEnd;
  private ScheduledFuture<?> sessionTimer;
  private long sessionIntervalSeconds;
  private boolean weRefresh;

  private CallLeg(CallId id, boolean outbound, TelephonyListener listener, SipUserAgent ua) {
    this.id = id;
    this.outbound = outbound;
    this.listener = listener;
    this.ua = ua;
    this.ep = ua.endpoint();
    this.state = outbound ? State.STARTING : State.OFFERED;
  }

  static CallLeg outbound(CallId id, TelephonyListener listener, SipUserAgent ua) {
    return new CallLeg(id, true, listener, ua);
  }

  static CallLeg inbound(CallId id, TelephonyListener listener, SipUserAgent ua) {
    return new CallLeg(id, false, listener, ua);
  }

  State state() {
    return state;
  }

  String sipCallId() {
    return sipCallId;
  }

  /** Live statistics, or the last ones once the media session is closed. */
  MediaStats stats() {
    RtpSession m = media;
    return m != null ? m.stats() : lastStats;
  }

  // ------------------------------------------------------------------ outbound

  void dial(String number) {
    if (!openMedia()) return;
    try {
      SipURI target = ep.addresses.createSipURI(number, ep.config.domain());
      Address toAddress = ep.addresses.createAddress(target);
      Address fromAddress = ep.addresses.createAddress(ep.aorUri());
      if (!ep.config.callerId().equals(ep.config.user())) fromAddress.setDisplayName(ep.config.callerId());
      FromHeader from = ep.headers.createFromHeader(fromAddress, Tags.newTag());
      ToHeader to = ep.headers.createToHeader(toAddress, null);
      CallIdHeader callId = ep.provider.getNewCallId();
      Request r = ep.newRequest(Request.INVITE, target, from, to, callId, 1);
      r.addHeader(ep.contact());
      ep.addAllow(r);
      if (!ep.config.callerId().equals(ep.config.user())) {
        r.addHeader(ep.headers.createHeader("P-Asserted-Identity",
            "<sip:" + ep.config.callerId() + "@" + ep.config.domain() + ">"));
      }
      long se = ep.config.sessionExpires().toSeconds();
      if (se > 0) {
        r.addHeader(ep.headers.createHeader("Supported", "timer"));
        r.addHeader(ep.headers.createHeader("Session-Expires", Long.toString(se)));
        r.addHeader(ep.headers.createHeader("Min-SE", Long.toString(SipConfig.MIN_SESSION_EXPIRES.toSeconds())));
      }
      localSdp = SessionDescription.offer(ep.mediaAddress(), media.localPort(), sdpSessionId, sdpVersion,
          MediaDirection.SENDRECV);
      r.setContent(localSdp, sdpType());
      sipCallId = callId.getCallId();
      ua.index(this);
      sendInvite(r);
      try (var ignored = MDC.putCloseable("call_id", id.value())) {
        log.info("call {}: INVITE sent to {} via {}", id, target, proxyName());
      }
    } catch (Exception e) {
      // ParseException, InvalidArgumentException, SipException from the stack
      end(TelephonyEnd.error("could not send the INVITE: " + e.getMessage()));
    }
  }

  private void sendInvite(Request r) throws javax.sip.SipException {
    ClientTransaction tx = ep.provider.getNewClientTransaction(r);
    tx.setApplicationData(new TxHandler() {
      @Override public void response(ResponseEvent event) {
        onInviteResponse(event);
      }

      @Override public void timeout() {
        if (state == State.CONFIRMED) return;
        String tls = ep.config.transport() == SipTransport.TLS ? ep.tlsRefusal() : null;
        end(new TelephonyEnd(EndReason.ERROR, 408, tls != null
            ? "TLS connection to " + proxyName() + " refused: " + tls
            : "no answer from " + proxyName() + " to the INVITE"));
      }
    });
    invite = r;
    inviteTx = tx;
    state = State.CALLING;
    tx.sendRequest();
  }

  private void onInviteResponse(ResponseEvent event) {
    Response r = event.getResponse();
    int code = r.getStatusCode();
    if (code >= 200 && code < 300) {
      on2xx(event);
      return;
    }
    if (state == State.ENDED || state == State.CONFIRMED) return;
    if (code < 200) {
      onProvisional(r);
    } else {
      onInviteFailure(r);
    }
  }

  private void onProvisional(Response r) {
    int code = r.getStatusCode();
    if (code == 100) {
      if (state == State.CALLING) state = State.PROCEEDING;
      if (cancelRequested && !cancelSent) sendCancel();
      return;
    }
    if (state == State.CALLING) state = State.PROCEEDING;
    if (cancelRequested) {
      if (!cancelSent) sendCancel();
      return;
    }
    String toTag = toTag(r);
    if (hasSdp(r)) {
      if (earlyToTag != null && !earlyToTag.equals(toTag)) return; // another fork's early media: keep the first
      SessionDescription sdp;
      try {
        sdp = SessionDescription.parse(r.getRawContent());
      } catch (IllegalArgumentException e) {
        log.warn("call {}: unreadable SDP in {} ignored: {}", id, code, e.getMessage());
        report(Reported.RINGING);
        return;
      }
      if (sdp.firstCommonCodec().isEmpty()) {
        log.warn("call {}: early media offers no codec we support ({}): ignored", id, sdp.payloadTypes());
        report(Reported.RINGING);
        return;
      }
      earlyToTag = toTag;
      applyRemote(sdp);
      report(Reported.EARLY);
    } else {
      if (reported == Reported.EARLY && earlyToTag != null && !earlyToTag.equals(toTag)) return;
      report(Reported.RINGING);
    }
  }

  private void report(Reported what) {
    if (reported == what) return;
    reported = what;
    try (var ignored = MDC.putCloseable("call_id", id.value())) {
      if (what == Reported.RINGING) {
        log.info("call {}: ringing", id);
        listener.ringing();
      } else {
        log.info("call {}: early media (183 with SDP); the AI stays closed", id);
        listener.earlyMedia();
      }
    } catch (RuntimeException e) {
      log.warn("call {}: listener failed on {}", id, what, e);
    }
  }

  /** A response whose client transaction is gone: a retransmitted or forked 2xx to our INVITE. */
  void onStrayResponse(ResponseEvent event) {
    Response r = event.getResponse();
    CSeqHeader cseq = (CSeqHeader) r.getHeader(CSeqHeader.NAME);
    log.debug("call {}: stray {} {} (outbound {})", id, r.getStatusCode(), cseq, outbound);
    if (cseq != null && Request.INVITE.equals(cseq.getMethod()) && r.getStatusCode() / 100 == 2 && outbound) {
      on2xx(event);
    }
  }

  private void on2xx(ResponseEvent event) {
    Response r = event.getResponse();
    Dialog d = event.getDialog();
    String toTag = toTag(r);
    log.debug("call {}: 2xx from tag {} (answered tag {}, dialog {})", id, toTag, answeredToTag, d);
    if (answeredToTag != null) {
      if (answeredToTag.equals(toTag)) {
        resendAck(d != null ? d : dialog);
      } else {
        log.info("call {}: a second 2xx from another fork (tag {}): ACK and BYE", id, toTag);
        ackAndBye(d, r);
      }
      return;
    }
    if (state == State.ENDED) {
      ackAndBye(d, r);
      return;
    }
    answeredToTag = toTag;
    dialog = d;
    try {
      sendAck(d, r);
    } catch (Exception e) {
      log.warn("call {}: ACK could not be sent", id, e);
    }
    if (cancelRequested) {
      log.info("call {}: 200 OK crossed our CANCEL: ACK and BYE", id);
      state = State.CONFIRMED;
      bye(new TelephonyEnd(EndReason.LOCAL_HANGUP, 200, null));
      return;
    }
    SessionDescription sdp = null;
    String problem = null;
    if (hasSdp(r)) {
      try {
        sdp = SessionDescription.parse(r.getRawContent());
      } catch (IllegalArgumentException e) {
        problem = "the answer's SDP is unreadable: " + e.getMessage();
      }
    } else if (applied != null) {
      sdp = applied;
    } else {
      problem = "the 200 OK carries no SDP answer";
    }
    if (sdp != null && sdp.firstCommonCodec().isEmpty()) {
      problem = "no common codec: the answer lists payload types " + sdp.payloadTypes()
          + ", we offered PCMA (8) and PCMU (0)";
    }
    state = State.CONFIRMED;
    if (problem != null) {
      log.warn("call {}: {}; ACK and BYE", id, problem);
      bye(new TelephonyEnd(EndReason.ERROR, 200, problem));
      return;
    }
    applyRemote(sdp);
    startSessionTimer(SipEndpoint.value(r, "Session-Expires"), true);
    try (var ignored = MDC.putCloseable("call_id", id.value())) {
      log.info("call {}: answered, codec {}, media to {}:{}", id, sdp.firstCommonCodec().get(), sdp.address() == null
          ? "hold" : sdp.address().getHostAddress(), sdp.port());
      listener.answered(media);
    } catch (RuntimeException e) {
      log.warn("call {}: listener failed on answered", id, e);
    }
  }

  private void sendAck(Dialog d, Response r) throws Exception {
    long cseq = ((CSeqHeader) r.getHeader(CSeqHeader.NAME)).getSeqNumber();
    Request ack = d.createAck(cseq);
    // RFC 3261 §22.1: the ACK for a 2xx carries the INVITE's credentials.
    if (inviteCredentials != null) ack.setHeader(inviteCredentials);
    d.sendAck(ack);
    lastAck = ack;
  }

  private void resendAck(Dialog d) {
    if (lastAck == null || d == null) return;
    try {
      if (d instanceof gov.nist.javax.sip.stack.SIPDialog) {
        ((gov.nist.javax.sip.stack.SIPDialog) d).resendAck();
      } else {
        d.sendAck(lastAck);
      }
      log.debug("call {}: retransmitted 200 OK re-ACKed", id);
    } catch (javax.sip.SipException e) {
      log.debug("call {}: re-ACK failed", id, e);
    }
  }

  private void ackAndBye(Dialog d, Response r) {
    if (d == null) {
      log.warn("call {}: stray 2xx without a dialog from {}: cannot ACK", id, toTag(r));
      return;
    }
    try {
      long cseq = ((CSeqHeader) r.getHeader(CSeqHeader.NAME)).getSeqNumber();
      Request ack = d.createAck(cseq);
      if (inviteCredentials != null) ack.setHeader(inviteCredentials);
      d.sendAck(ack);
      sendInDialog(d, d.createRequest(Request.BYE), 0, resp -> {}, () -> {});
    } catch (Exception e) {
      log.warn("call {}: ACK and BYE of an unwanted 2xx failed", id, e);
    }
  }

  private void onInviteFailure(Response r) {
    int code = r.getStatusCode();
    String reason = SipEndpoint.value(r, "Reason");
    if (reason != null) log.info("call {}: {} {} (Reason: {})", id, code, r.getReasonPhrase(), reason);
    if ((code == 401 || code == 407) && !cancelRequested) {
      if (ua.authenticator() == null) {
        end(new TelephonyEnd(EndReason.ERROR, code, "authentication required by " + proxyName()
            + " but EXOLVE_SIP_PASS is not set"));
        return;
      }
      DigestChallenge c;
      try {
        c = DigestChallenge.parse(SipEndpoint.value(r, code == 401 ? "WWW-Authenticate" : "Proxy-Authenticate"),
            code == 407);
      } catch (IllegalArgumentException | NullPointerException e) {
        end(new TelephonyEnd(EndReason.ERROR, code, "unreadable challenge from " + proxyName()));
        return;
      }
      boolean retry = inviteAuthRetries == 0 || (c.stale() && inviteStaleRetries < MAX_STALE_RETRIES);
      if (!retry) {
        end(new TelephonyEnd(EndReason.ERROR, code, "authentication rejected by " + proxyName()));
        return;
      }
      if (inviteAuthRetries > 0) inviteStaleRetries++;
      inviteAuthRetries++;
      try {
        Request again = reoriginate();
        String value = ua.authenticator().authorize(c, Request.INVITE, again.getRequestURI().toString(),
            again.getRawContent());
        inviteCredentials = ep.credentials(c, value);
        again.setHeader(inviteCredentials);
        sendInvite(again);
        log.info("call {}: INVITE challenged with {}: answered", id, code);
      } catch (SipAuthenticationException e) {
        end(new TelephonyEnd(EndReason.ERROR, code, e.getMessage()));
      } catch (Exception e) {
        end(new TelephonyEnd(EndReason.ERROR, code, "could not answer the challenge: " + e.getMessage()));
      }
      return;
    }
    if (code == 422 && !sessionIntervalRetried && !cancelRequested) {
      String minSe = SipEndpoint.value(r, "Min-SE");
      if (minSe != null) {
        sessionIntervalRetried = true;
        try {
          long min = Long.parseLong(minSe.split(";")[0].trim());
          Request again = reoriginate();
          again.setHeader(ep.headers.createHeader("Session-Expires", Long.toString(min)));
          again.setHeader(ep.headers.createHeader("Min-SE", Long.toString(min)));
          sendInvite(again);
          return;
        } catch (Exception e) {
          log.warn("call {}: 422 with Min-SE '{}' could not be answered", id, minSe, e);
        }
      }
    }
    if (cancelSent && code == 487) {
      end(new TelephonyEnd(EndReason.LOCAL_HANGUP, 487, null));
      return;
    }
    end(TelephonyEnd.fromSipFailure(code, r.getReasonPhrase()));
  }

  /** The INVITE again for a challenge or 422: same Call-ID and From tag, CSeq + 1, a new branch. */
  private Request reoriginate() throws Exception {
    Request again = (Request) invite.clone();
    CSeqHeader cseq = (CSeqHeader) again.getHeader(CSeqHeader.NAME);
    cseq.setSeqNumber(cseq.getSeqNumber() + 1);
    again.removeHeader(ViaHeader.NAME);
    again.addHeader(ep.via());
    again.removeHeader("Authorization");
    again.removeHeader("Proxy-Authorization");
    if (inviteCredentials != null) again.setHeader(inviteCredentials);
    return again;
  }

  private void sendCancel() {
    try {
      Request cancel = inviteTx.createCancel();
      ClientTransaction ct = ep.provider.getNewClientTransaction(cancel);
      ct.setApplicationData(TxHandler.IGNORE);
      ct.sendRequest();
      cancelSent = true;
      state = State.TERMINATING;
      log.info("call {}: CANCEL sent", id);
    } catch (javax.sip.SipException e) {
      log.warn("call {}: CANCEL could not be sent; waiting for the INVITE to end", id, e);
    }
  }

  // ------------------------------------------------------------------ inbound

  void accept(ServerTransaction st, Request request, Duration ringFor) {
    inviteSt = st;
    inboundInvite = request;
    sipCallId = ((CallIdHeader) request.getHeader(CallIdHeader.NAME)).getCallId();
    ua.index(this);
    if (request.getRawContent() != null && request.getRawContent().length > 0) {
      try {
        offer = SessionDescription.parse(request.getRawContent());
      } catch (IllegalArgumentException e) {
        rejectInbound(400, "unreadable SDP offer: " + e.getMessage());
        return;
      }
      if (offer.firstCommonCodec().isEmpty()) {
        rejectInbound(488, "no common codec: the offer lists payload types " + offer.payloadTypes()
            + ", we support PCMA (8) and PCMU (0)");
        return;
      }
    }
    if (!openMedia()) {
      respond(inviteSt, inboundInvite, 503);
      return;
    }
    if (ringFor.isZero()) {
      answerInbound();
    } else {
      respond(inviteSt, inboundInvite, 180);
      answerTimer = ua.control().schedule(this::answerInbound, ringFor.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private void rejectInbound(int code, String why) {
    respond(inviteSt, inboundInvite, code);
    end(new TelephonyEnd(EndReason.ERROR, code, why));
  }

  private void answerInbound() {
    if (state != State.OFFERED) return;
    try {
      Response ok = ep.response(Response.OK, inboundInvite);
      ok.addHeader(ep.contact());
      ep.addAllow(ok);
      String sdp;
      if (offer != null) {
        sdp = SessionDescription.answer(offer, ep.mediaAddress(), media.localPort(), sdpSessionId, sdpVersion);
        localDirection = SessionDescription.mirror(offer.direction());
      } else {
        sdp = SessionDescription.offer(ep.mediaAddress(), media.localPort(), sdpSessionId, sdpVersion,
            MediaDirection.SENDRECV);
      }
      localSdp = sdp;
      ok.setContent(sdp, sdpType());
      String se = sessionExpiresForAnswer(inboundInvite);
      if (se != null) {
        ok.addHeader(ep.headers.createHeader("Session-Expires", se));
        ok.addHeader(ep.headers.createHeader("Require", "timer"));
      }
      inviteSt.sendResponse(ok);
      dialog = inviteSt.getDialog();
      state = State.ANSWERING;
      if (offer != null) applyRemote(offer);
      if (se != null) startSessionTimer(se, false);
      log.info("call {}: inbound call answered (200 OK sent)", id);
    } catch (Exception e) {
      log.warn("call {}: could not answer", id, e);
      respond(inviteSt, inboundInvite, 500);
      end(TelephonyEnd.error("could not answer the inbound call: " + e.getMessage()));
    }
  }

  /** Session-Expires for our 200 to an INVITE that asked for session timers, or null. */
  private String sessionExpiresForAnswer(Request r) {
    String asked = SipEndpoint.value(r, "Session-Expires");
    if (asked == null) return null;
    String[] parts = asked.split(";");
    long seconds;
    try {
      seconds = Long.parseLong(parts[0].trim());
    } catch (NumberFormatException e) {
      return null;
    }
    String refresher = "uac";
    for (int i = 1; i < parts.length; i++) {
      String p = parts[i].trim().toLowerCase(Locale.ROOT);
      if (p.equals("refresher=uas")) refresher = "uas";
    }
    return seconds + ";refresher=" + refresher;
  }

  /** ACK for our 200 (or for a re-INVITE's). */
  void onAck(Request ack) {
    if (state != State.ANSWERING) return;
    if (offer == null && ack.getRawContent() != null && ack.getRawContent().length > 0) {
      try {
        SessionDescription answer = SessionDescription.parse(ack.getRawContent());
        if (answer.firstCommonCodec().isPresent()) applyRemote(answer);
      } catch (IllegalArgumentException e) {
        log.warn("call {}: unreadable SDP answer in the ACK: {}", id, e.getMessage());
      }
    }
    state = State.CONFIRMED;
    try (var ignored = MDC.putCloseable("call_id", id.value())) {
      log.info("call {}: inbound call confirmed (ACK)", id);
      listener.answered(media);
    } catch (RuntimeException e) {
      log.warn("call {}: listener failed on answered", id, e);
    }
    if (byeAfterAck) bye(pendingEnd != null ? pendingEnd : TelephonyEnd.of(EndReason.LOCAL_HANGUP));
  }

  /** CANCEL of the inbound INVITE before we answered. */
  void onCancel(ServerTransaction cancelSt, Request cancel) {
    respond(cancelSt, cancel, 200);
    if (state == State.OFFERED) {
      respond(inviteSt, inboundInvite, 487);
      end(new TelephonyEnd(EndReason.REMOTE_HANGUP, 487, null));
    }
  }

  // ------------------------------------------------------------------ in-dialog requests (both)

  void onBye(ServerTransaction st, Request bye) {
    respond(st, bye, 200);
    String reason = SipEndpoint.value(bye, "Reason");
    try (var ignored = MDC.putCloseable("call_id", id.value())) {
      log.info("call {}: the far end hung up (BYE){}", id, reason == null ? "" : ", Reason: " + reason);
    }
    if (state == State.TERMINATING && pendingEnd != null) {
      end(pendingEnd);
    } else {
      end(TelephonyEnd.of(EndReason.REMOTE_HANGUP));
    }
  }

  /** A re-INVITE or UPDATE from the far end: new SDP (hold, codec change) and/or a session refresh. */
  void onModify(ServerTransaction st, Request req) {
    if (state != State.CONFIRMED && state != State.ANSWERING) {
      respond(st, req, state == State.TERMINATING ? 481 : 491);
      return;
    }
    try {
      Response ok = ep.response(Response.OK, req);
      ok.addHeader(ep.contact());
      ep.addAllow(ok);
      byte[] body = req.getRawContent();
      if (body != null && body.length > 0) {
        SessionDescription sdp;
        try {
          sdp = SessionDescription.parse(body);
        } catch (IllegalArgumentException e) {
          log.warn("call {}: unreadable SDP in {}: {}", id, req.getMethod(), e.getMessage());
          respond(st, req, 488);
          return;
        }
        if (sdp.firstCommonCodec().isEmpty()) {
          respond(st, req, 488);
          return;
        }
        MediaDirection ours = SessionDescription.mirror(sdp.direction());
        if (sdp.address() == null) ours = MediaDirection.INACTIVE;
        String answer = SessionDescription.answer(sdp, ep.mediaAddress(), media == null ? 9 : media.localPort(),
            sdpSessionId, sdpVersion);
        if (ours != localDirection || !sameCodec(sdp)) {
          sdpVersion++;
          answer = SessionDescription.answer(sdp, ep.mediaAddress(), media == null ? 9 : media.localPort(),
              sdpSessionId, sdpVersion);
          if (sdp.address() == null) answer = answer.replace("a=sendrecv", "a=inactive");
        }
        localDirection = ours;
        localSdp = answer;
        ok.setContent(answer, sdpType());
        applyRemote(sdp);
        log.info("call {}: {} applied: {} {}", id, req.getMethod(), sdp.firstCommonCodec().get(),
            sdp.isHold() ? "on hold" : sdp.direction().name().toLowerCase(Locale.ROOT));
      } else if (Request.INVITE.equals(req.getMethod()) && localSdp != null) {
        ok.setContent(localSdp, sdpType());
      }
      String se = SipEndpoint.value(req, "Session-Expires");
      if (se != null) {
        String value = sessionExpiresForAnswer(req);
        if (value != null) {
          ok.addHeader(ep.headers.createHeader("Session-Expires", value));
          ok.addHeader(ep.headers.createHeader("Require", "timer"));
          startSessionTimer(value, false);
        }
      } else if (sessionIntervalSeconds > 0 && !weRefresh) {
        startSessionTimer(sessionIntervalSeconds + ";refresher=uac", false);
      }
      st.sendResponse(ok);
    } catch (Exception e) {
      log.warn("call {}: answering {} failed", id, req.getMethod(), e);
      respond(st, req, 500);
    }
  }

  private boolean sameCodec(SessionDescription sdp) {
    return applied != null && applied.firstCommonCodec().equals(sdp.firstCommonCodec());
  }

  // ------------------------------------------------------------------ session timers (RFC 4028)

  /**
   * Starts or restarts the session timer from a {@code Session-Expires} value such as {@code 1800;refresher=uac}.
   *
   * @param weAreUac whether we sent the INVITE this value answers (refresher=uac then means us)
   */
  private void startSessionTimer(String value, boolean weAreUac) {
    cancel(sessionTimer);
    sessionTimer = null;
    if (value == null) return;
    String[] parts = value.split(";");
    long seconds;
    try {
      seconds = Long.parseLong(parts[0].trim());
    } catch (NumberFormatException e) {
      log.warn("call {}: Session-Expires '{}' is not a number of seconds: ignored", id, value);
      return;
    }
    if (seconds <= 0) return;
    String refresher = "uac"; // RFC 4028 §9: absent means the UAC refreshes
    for (int i = 1; i < parts.length; i++) {
      String p = parts[i].trim().toLowerCase(Locale.ROOT);
      if (p.startsWith("refresher=")) refresher = p.substring(10);
    }
    sessionIntervalSeconds = seconds;
    weRefresh = weAreUac == refresher.equals("uac");
    if (weRefresh) {
      sessionTimer = ua.control().schedule(this::refreshSession, seconds * 1000 / 2, TimeUnit.MILLISECONDS);
    } else {
      long grace = Math.min(32, seconds / 3);
      sessionTimer = ua.control().schedule(this::sessionExpired, (seconds - grace) * 1000, TimeUnit.MILLISECONDS);
    }
  }

  private void refreshSession() {
    if (state != State.CONFIRMED || dialog == null) return;
    try {
      Request reinvite = dialog.createRequest(Request.INVITE);
      reinvite.addHeader(ep.contact());
      reinvite.setHeader(ep.headers.createHeader("Supported", "timer"));
      reinvite.setHeader(ep.headers.createHeader("Session-Expires", sessionIntervalSeconds + ";refresher=uac"));
      if (localSdp != null) reinvite.setContent(localSdp, sdpType());
      sendInDialog(dialog, reinvite, 0, r -> {
        int code = r.getStatusCode();
        if (code >= 200 && code < 300) {
          try {
            long cseq = ((CSeqHeader) r.getHeader(CSeqHeader.NAME)).getSeqNumber();
            Request ack = dialog.createAck(cseq);
            if (inviteCredentials != null) ack.setHeader(inviteCredentials);
            dialog.sendAck(ack);
          } catch (Exception e) {
            log.warn("call {}: ACK of the session refresh failed", id, e);
          }
          String se = SipEndpoint.value(r, "Session-Expires");
          startSessionTimer(se != null ? se : sessionIntervalSeconds + ";refresher=uac", true);
        } else if (code == 481 || code == 408) {
          end(new TelephonyEnd(EndReason.ERROR, code, "the session refresh failed: " + code + " " + r.getReasonPhrase()));
        } else {
          log.warn("call {}: session refresh answered {}: trying again at the next interval", id, code);
          startSessionTimer(sessionIntervalSeconds + ";refresher=uac", true);
        }
      }, () -> bye(TelephonyEnd.error("the far end did not answer the session refresh")));
      log.debug("call {}: session refreshed with re-INVITE", id);
    } catch (Exception e) {
      log.warn("call {}: session refresh could not be sent", id, e);
    }
  }

  private void sessionExpired() {
    if (state != State.CONFIRMED) return;
    log.warn("call {}: the session expired (RFC 4028): no refresh within {} s; BYE", id, sessionIntervalSeconds);
    bye(TelephonyEnd.error("session expired: the far end did not refresh it within " + sessionIntervalSeconds + " s"));
  }

  // ------------------------------------------------------------------ API (sip-control thread)

  void hangup() {
    switch (state) {
      case STARTING:
        end(TelephonyEnd.of(EndReason.LOCAL_HANGUP));
        break;
      case CALLING:
        cancelRequested = true; // CANCEL must wait for a provisional response (RFC 3261 §9.1)
        closeMedia();
        break;
      case PROCEEDING:
        cancelRequested = true;
        closeMedia();
        sendCancel();
        break;
      case OFFERED:
        respond(inviteSt, inboundInvite, 480);
        end(TelephonyEnd.of(EndReason.LOCAL_HANGUP));
        break;
      case ANSWERING:
        byeAfterAck = true;
        pendingEnd = TelephonyEnd.of(EndReason.LOCAL_HANGUP);
        closeMedia();
        break;
      case CONFIRMED:
        bye(TelephonyEnd.of(EndReason.LOCAL_HANGUP));
        break;
      default:
        break;
    }
  }

  void sendDtmf(String digits) {
    if (state != State.CONFIRMED || media == null) {
      log.warn("call {}: DTMF '{}' not sent: the call is {}", id, digits, state);
      return;
    }
    try {
      media.sendDtmf(digits.toUpperCase(Locale.ROOT));
      log.info("call {}: DTMF '{}' queued", id, digits);
    } catch (RuntimeException e) {
      // RtpException (no telephone-event offered), IllegalStateException (closing): the call goes on
      log.warn("call {}: DTMF '{}' not sent: {}", id, digits, e.getMessage());
    }
  }

  void mediaTimeout() {
    if (state != State.CONFIRMED) return;
    log.warn("call {}: no RTP within MEDIA_TIMEOUT_S: BYE", id);
    bye(TelephonyEnd.of(EndReason.MEDIA_TIMEOUT));
  }

  /** The user agent is closing: end the call on the wire and report it at once. */
  void shutdown() {
    if (state == State.ENDED) return;
    TelephonyEnd end = pendingEnd != null ? pendingEnd : TelephonyEnd.of(EndReason.LOCAL_HANGUP);
    hangup();
    end(end);
  }

  /** The far end's dialog went away under us (no ACK, or the stack gave up). */
  void onDialogTerminated(Dialog d) {
    if (state == State.ENDED || d != dialog) return;
    end(pendingEnd != null ? pendingEnd : (state == State.ANSWERING
        ? TelephonyEnd.error("no ACK for our 200 OK") : TelephonyEnd.of(EndReason.REMOTE_HANGUP)));
  }

  // ------------------------------------------------------------------ helpers

  private void bye(TelephonyEnd end) {
    if (state == State.ENDED) return;
    pendingEnd = end;
    state = State.TERMINATING;
    closeMedia();
    cancel(sessionTimer);
    if (dialog == null) {
      end(end);
      return;
    }
    try {
      sendInDialog(dialog, dialog.createRequest(Request.BYE), 0, r -> end(end), () -> end(end));
      log.info("call {}: BYE sent", id);
    } catch (Exception e) {
      log.warn("call {}: BYE could not be sent", id, e);
      end(end);
    }
  }

  /** Sends an in-dialog request; answers one 401/407 (more on stale=true), then hands the final response on. */
  private void sendInDialog(Dialog d, Request req, int authRetries, Consumer<Response> onFinal, Runnable onTimeout)
      throws javax.sip.SipException {
    ClientTransaction ct = ep.provider.getNewClientTransaction(req);
    ct.setApplicationData(new TxHandler() {
      @Override public void response(ResponseEvent event) {
        Response r = event.getResponse();
        int code = r.getStatusCode();
        if (code < 200) return;
        if ((code == 401 || code == 407) && ua.authenticator() != null && authRetries < 1 + MAX_STALE_RETRIES) {
          try {
            DigestChallenge c = DigestChallenge.parse(
                SipEndpoint.value(r, code == 401 ? "WWW-Authenticate" : "Proxy-Authenticate"), code == 407);
            if (authRetries == 0 || c.stale()) {
              Request again = d.createRequest(req.getMethod());
              for (String name : new String[] {"Contact", "Reason", "Supported", "Session-Expires"}) {
                Header h = req.getHeader(name);
                if (h != null) again.setHeader(h);
              }
              if (req.getRawContent() != null) {
                again.setContent(req.getRawContent(), (ContentTypeHeader) req.getHeader(ContentTypeHeader.NAME));
              }
              Header cred = ep.credentials(c, ua.authenticator().authorize(c, req.getMethod(),
                  again.getRequestURI().toString(), again.getRawContent()));
              again.setHeader(cred);
              if (Request.INVITE.equals(req.getMethod())) inviteCredentials = cred;
              sendInDialog(d, again, authRetries + 1, onFinal, onTimeout);
              return;
            }
          } catch (Exception e) {
            log.warn("call {}: challenge on {} could not be answered", id, req.getMethod(), e);
          }
          log.warn("call {}: {} rejected: authentication rejected by {}", id, req.getMethod(), proxyName());
        }
        onFinal.accept(r);
      }

      @Override public void timeout() {
        onTimeout.run();
      }
    });
    d.sendRequest(ct);
  }

  private boolean openMedia() {
    try {
      media = ua.engine().open(new RtpSession.Listener() {
        @Override public void dtmfReceived(char digit) {
          try {
            listener.dtmfReceived(digit);
          } catch (RuntimeException e) {
            log.warn("call {}: listener failed on DTMF", id, e);
          }
        }

        @Override public void mediaTimeout() {
          ua.control().execute(CallLeg.this::mediaTimeout);
        }
      });
      return true;
    } catch (RtpException e) {
      end(TelephonyEnd.error("no free RTP port: " + e.getMessage()));
      return false;
    }
  }

  private void applyRemote(SessionDescription sdp) {
    if (media == null) return;
    RtpCodec codec = sdp.firstCommonCodec().orElseThrow();
    boolean changed = applied == null || !java.util.Objects.equals(applied.address(), sdp.address())
        || applied.port() != sdp.port() || !applied.firstCommonCodec().equals(sdp.firstCommonCodec())
        || applied.telephoneEventType() != sdp.telephoneEventType();
    if (changed && sdp.address() != null && sdp.port() > 0) {
      media.start(new InetSocketAddress(sdp.address(), sdp.port()), codec, sdp.telephoneEventType());
    }
    media.setDirection(sdp.address() == null ? MediaDirection.INACTIVE : sdp.direction());
    applied = sdp;
  }

  private void closeMedia() {
    RtpSession m = media;
    if (m == null) return;
    media = null;
    try {
      lastStats = m.stats();
    } catch (RuntimeException e) {
      log.debug("call {}: media statistics unavailable at close", id, e);
    }
    try {
      m.close();
    } catch (RuntimeException e) {
      log.warn("call {}: closing media failed", id, e);
    }
  }

  void end(TelephonyEnd end) {
    if (state == State.ENDED) return;
    state = State.ENDED;
    cancel(answerTimer);
    cancel(sessionTimer);
    closeMedia();
    ua.forget(this);
    try (var ignored = MDC.putCloseable("call_id", id.value())) {
      log.info("call {}: ended on the SIP side: {}{}{}", id, end.reason().wireName(),
          end.sipCode() == null ? "" : " (" + end.sipCode() + ")", end.message() == null ? "" : ": " + end.message());
      listener.ended(end);
    } catch (RuntimeException e) {
      log.warn("call {}: listener failed on ended", id, e);
    }
  }

  private void respond(ServerTransaction st, Request req, int code) {
    try {
      Response r = ep.response(code, req);
      if (code >= 200 && code != 200 || code == 180) addToTagIfMissing(r, st);
      if (st != null) {
        st.sendResponse(r);
      } else {
        ep.provider.sendResponse(r);
      }
    } catch (Exception e) {
      log.debug("call {}: {} to {} could not be sent", id, code, req.getMethod(), e);
    }
  }

  private static void addToTagIfMissing(Response r, ServerTransaction st) throws ParseException {
    ToHeader to = (ToHeader) r.getHeader(ToHeader.NAME);
    if (to.getTag() != null) return;
    if (st != null && st.getDialog() != null && st.getDialog().getLocalTag() != null) {
      to.setTag(st.getDialog().getLocalTag());
    } else {
      to.setTag(Tags.newTag());
    }
  }

  private String proxyName() {
    return ep.config.proxyHost() != null ? ep.config.proxyHost() : ep.config.domain();
  }

  private ContentTypeHeader sdpType() throws ParseException {
    return ep.headers.createContentTypeHeader("application", "sdp");
  }

  private static boolean hasSdp(Message m) {
    byte[] body = m.getRawContent();
    if (body == null || body.length == 0) return false;
    ContentTypeHeader ct = (ContentTypeHeader) m.getHeader(ContentTypeHeader.NAME);
    return ct == null || ("application".equalsIgnoreCase(ct.getContentType())
        && "sdp".equalsIgnoreCase(ct.getContentSubType()));
  }

  private static String toTag(Response r) {
    ToHeader to = (ToHeader) r.getHeader(ToHeader.NAME);
    return to == null ? null : to.getTag();
  }

  private static void cancel(ScheduledFuture<?> f) {
    if (f != null) f.cancel(false);
  }

  @Override public String toString() {
    return "CallLeg[" + id + ", " + (outbound ? "outbound" : "inbound") + ", " + state + "]";
  }
}
