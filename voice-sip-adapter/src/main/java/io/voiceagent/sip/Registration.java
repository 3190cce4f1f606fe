package io.voiceagent.sip;

import io.voiceagent.sip.RegistrationStatus.State;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ListIterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import javax.sip.ClientTransaction;
import javax.sip.ResponseEvent;
import javax.sip.address.Address;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.ExpiresHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps our binding at the registrar: REGISTER with {@code Expires} as configured (or the server's shorter
 * grant), refreshed at half the granted time but never later than 5 minutes before the end; {@code 423}
 * retried with {@code Min-Expires}; digest challenges answered once (again on {@code stale=true}); on failure
 * re-registered with exponential back-off capped by {@code SIP_REGISTER_RETRY_MAX_S}; un-registered with
 * {@code Expires: 0} on close.
 *
 * <p>Thread rule: every method except {@link #status()} runs on the {@code sip-control} thread.
 */
final class Registration {
  private static final Logger log = LoggerFactory.getLogger(Registration.class);
  private static final Duration LATEST_REFRESH_BEFORE_END = Duration.ofMinutes(5);
  private static final int MAX_STALE_RETRIES = 2;

  private final SipEndpoint ep;
  private final ScheduledExecutorService control;
  private final Clock clock;
  private final DigestAuthenticator auth;
  private final String host;
  private final CallIdHeader callId;
  private final String fromTag;

  // sip-control thread only
  private long cseq;
  private int failures;
  private long expiresAsked;
  private ScheduledFuture<?> timer;
  private boolean closing;
  private CompletableFuture<Void> unregistered;
  private volatile RegistrationStatus status = new RegistrationStatus(State.UNREGISTERED, null, null);

  Registration(SipEndpoint ep, ScheduledExecutorService control, Clock clock, DigestAuthenticator auth) {
    this.ep = ep;
    this.control = control;
    this.clock = clock;
    this.auth = auth;
    this.host = ep.config.proxyHost();
    this.callId = ep.provider.getNewCallId();
    this.fromTag = Tags.newTag();
    this.expiresAsked = ep.config.registerExpires().toSeconds();
  }

  RegistrationStatus status() {
    return status;
  }

  /** Registers now. */
  void start() {
    send(expiresAsked, null, 0, 0);
  }

  /** Un-registers ({@code Expires: 0}); the future completes on the answer, or never when there is none. */
  CompletableFuture<Void> unregister() {
    closing = true;
    cancelTimer();
    unregistered = new CompletableFuture<>();
    if (status.state() != State.REGISTERED) {
      unregistered.complete(null);
    } else {
      send(0, null, 0, 0);
    }
    return unregistered;
  }

  private void send(long expires, DigestChallenge challenge, int authRetries, int staleRetries) {
    try {
      Address aor = ep.addresses.createAddress(ep.aorUri());
      FromHeader from = ep.headers.createFromHeader(aor, fromTag);
      ToHeader to = ep.headers.createToHeader(aor, null);
      Request r = ep.newRequest(Request.REGISTER, ep.addresses.createSipURI(null, ep.config.domain()), from, to,
          callId, ++cseq);
      ContactHeader contact = ep.contact();
      r.addHeader(contact);
      r.addHeader(ep.headers.createExpiresHeader((int) expires));
      ep.addAllow(r);
      if (challenge != null) {
        r.addHeader(ep.credentials(challenge,
            auth.authorize(challenge, Request.REGISTER, r.getRequestURI().toString(), null)));
      }
      ClientTransaction tx = ep.provider.getNewClientTransaction(r);
      tx.setApplicationData(new TxHandler() {
        @Override public void response(ResponseEvent event) {
          onResponse(event.getResponse(), expires, authRetries, staleRetries);
        }

        @Override public void timeout() {
          failed("no answer from " + host + " to REGISTER");
        }
      });
      if (expires > 0 && status.state() != State.REGISTERED) publish(State.REGISTERING, null, status.lastError());
      tx.sendRequest();
    } catch (SipAuthenticationException e) {
      failed(e.getMessage());
    } catch (Exception e) {
      // ParseException, InvalidArgumentException, SipException: the request could not be built or sent
      failed("REGISTER could not be sent to " + host + ": " + e.getMessage());
    }
  }

  private void onResponse(Response r, long expires, int authRetries, int staleRetries) {
    int code = r.getStatusCode();
    if (code < 200) return;
    if (code < 300) {
      if (expires == 0) {
        log.info("un-registered from {}", host);
        publish(State.UNREGISTERED, null, null);
        if (unregistered != null) unregistered.complete(null);
        return;
      }
      long granted = grantedSeconds(r, expires);
      failures = 0;
      Instant expiresAt = clock.instant().plusSeconds(granted);
      publish(State.REGISTERED, expiresAt, null);
      noteNat(r);
      Duration refresh = refreshAfter(Duration.ofSeconds(granted));
      log.info("registered with {} as {} for {} s (refresh in {} s)", host, ep.config.user(), granted,
          refresh.toSeconds());
      schedule(refresh, () -> send(expiresAsked, null, 0, 0));
      return;
    }
    if (code == 401 || code == 407) {
      String header = SipEndpoint.value(r, code == 401 ? "WWW-Authenticate" : "Proxy-Authenticate");
      if (auth == null) {
        failed("authentication required by " + host + " but EXOLVE_SIP_PASS is not set");
        return;
      }
      DigestChallenge c;
      try {
        c = DigestChallenge.parse(header == null ? "" : header, code == 407);
      } catch (IllegalArgumentException e) {
        failed("unreadable challenge from " + host + ": " + e.getMessage());
        return;
      }
      if (authRetries == 0) {
        send(expires, c, 1, staleRetries);
      } else if (c.stale() && staleRetries < MAX_STALE_RETRIES) {
        send(expires, c, authRetries, staleRetries + 1);
      } else {
        failed("authentication rejected by " + host);
      }
      return;
    }
    if (code == 423 && expires > 0) {
      ExpiresHeader min = (ExpiresHeader) r.getHeader("Min-Expires");
      if (min != null && min.getExpires() > expires) {
        log.info("{} wants registrations of at least {} s (asked {})", host, min.getExpires(), expires);
        expiresAsked = min.getExpires();
        send(expiresAsked, null, 0, 0);
        return;
      }
    }
    if (expires == 0) {
      log.warn("un-registering from {} failed: {} {}", host, code, r.getReasonPhrase());
      if (unregistered != null) unregistered.complete(null);
      return;
    }
    failed("registration failed: " + code + " " + r.getReasonPhrase());
  }

  private void failed(String why) {
    if (closing) {
      if (unregistered != null) unregistered.complete(null);
      return;
    }
    failures++;
    Duration wait = backoff(failures, ep.config.registerRetryMin(), ep.config.registerRetryMax());
    log.warn("SIP registration with {} failed: {}; retrying in {} s", host, why, wait.toSeconds());
    publish(State.FAILED, null, why);
    schedule(wait, () -> send(expiresAsked, null, 0, 0));
  }

  /** min·2^(failures−1), capped at max. */
  static Duration backoff(int failures, Duration min, Duration max) {
    int shift = Math.min(Math.max(failures - 1, 0), 30);
    long millis = min.toMillis() << shift;
    if (millis <= 0 || millis > max.toMillis()) return max;
    return Duration.ofMillis(millis);
  }

  /** Half the grant, but never later than 5 minutes before the end; at least one second. */
  static Duration refreshAfter(Duration granted) {
    Duration half = granted.dividedBy(2);
    Duration late = granted.minus(LATEST_REFRESH_BEFORE_END);
    Duration r = late.compareTo(half) > 0 ? late : half;
    return r.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : r;
  }

  /** The expiry granted to our Contact: its {@code expires} parameter, else {@code Expires}, else what we asked. */
  private long grantedSeconds(Response r, long asked) {
    String ourUri;
    try {
      ourUri = ep.contact().getAddress().getURI().toString();
    } catch (java.text.ParseException e) {
      ourUri = "";
    }
    long fromContact = -1;
    ListIterator<?> it = r.getHeaders(ContactHeader.NAME);
    while (it.hasNext()) {
      ContactHeader c = (ContactHeader) it.next();
      if (c.getExpires() >= 0 && (fromContact < 0 || c.getAddress().getURI().toString().equals(ourUri))) {
        fromContact = c.getExpires();
      }
    }
    if (fromContact > 0) return Math.min(fromContact, asked);
    ExpiresHeader e = r.getExpires();
    if (e != null && e.getExpires() > 0) return Math.min(e.getExpires(), asked);
    return asked;
  }

  private void noteNat(Response r) {
    ViaHeader via = (ViaHeader) r.getHeader(ViaHeader.NAME);
    if (via == null || ep.config.publicAddress() != null) return;
    String received = via.getReceived();
    int rport = via.getRPort();
    if ((received != null && !received.equals(ep.localIp)) || (rport > 0 && rport != ep.localPort)) {
      log.warn("{} sees us as {}:{}, not {}:{}: we are behind NAT; set SIP_PUBLIC_ADDRESS so calls can reach us",
          host, received != null ? received : ep.localIp, rport > 0 ? rport : ep.localPort, ep.localIp, ep.localPort);
    }
  }

  private void publish(State state, Instant expiresAt, String lastError) {
    status = new RegistrationStatus(state, expiresAt, lastError);
  }

  private void schedule(Duration after, Runnable task) {
    cancelTimer();
    timer = control.schedule(task, Math.max(after.toMillis(), 1), TimeUnit.MILLISECONDS);
  }

  private void cancelTimer() {
    if (timer != null) timer.cancel(false);
    timer = null;
  }
}
