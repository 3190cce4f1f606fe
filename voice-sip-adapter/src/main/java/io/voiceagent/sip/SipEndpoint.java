package io.voiceagent.sip;

import gov.nist.javax.sip.ListeningPointExt;
import gov.nist.javax.sip.SipStackImpl;
import gov.nist.javax.sip.header.SIPHeader;
import io.voiceagent.sip.internal.Slf4jServerLogger;
import io.voiceagent.sip.internal.Slf4jStackLogger;
import io.voiceagent.sip.internal.TlsHostPolicy;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sip.InvalidArgumentException;
import javax.sip.ListeningPoint;
import javax.sip.PeerUnavailableException;
import javax.sip.SipFactory;
import javax.sip.SipListener;
import javax.sip.SipProvider;
import java.util.TooManyListenersException;
import javax.sip.TransportNotSupportedException;
import javax.sip.ObjectInUseException;
import javax.sip.address.AddressFactory;
import javax.sip.address.SipURI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.Header;
import javax.sip.header.HeaderFactory;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Message;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One jain-sip stack with one listening point and provider, plus the message-building the user agent needs.
 * Owned by {@link SipUserAgent}, which stops it on close.
 */
final class SipEndpoint {
  private static final Logger log = LoggerFactory.getLogger(SipEndpoint.class);
  private static final AtomicInteger STACKS = new AtomicInteger();
  static final String ALLOW = "INVITE, ACK, CANCEL, BYE, OPTIONS, UPDATE, INFO";

  final SipConfig config;
  final SipListener listener;
  final SipStackImpl stack;
  final ListeningPointExt listeningPoint;
  final SipProvider provider;
  final AddressFactory addresses;
  final HeaderFactory headers;
  final MessageFactory messages;
  final String localIp;
  final int localPort;

  private SipEndpoint(SipConfig config, SipListener listener, SipStackImpl stack, ListeningPointExt lp, SipProvider provider,
      AddressFactory addresses, HeaderFactory headers, MessageFactory messages) {
    this.config = config;
    this.listener = listener;
    this.stack = stack;
    this.listeningPoint = lp;
    this.provider = provider;
    this.addresses = addresses;
    this.headers = headers;
    this.messages = messages;
    this.localIp = lp.getIPAddress();
    this.localPort = lp.getPort();
  }

  /**
   * Starts a stack bound to the first free port of the configured range.
   *
   * @throws SipException when no port of the range can be bound
   */
  static SipEndpoint start(SipConfig config, SipListener listener) {
    String ip = chooseBindAddress(config);
    Properties p = new Properties();
    p.setProperty("javax.sip.STACK_NAME", "voice-agent-sip-" + STACKS.incrementAndGet());
    p.setProperty("javax.sip.AUTOMATIC_DIALOG_SUPPORT", "on");
    if (config.proxyHost() != null) {
      p.setProperty("javax.sip.OUTBOUND_PROXY",
          config.proxyHost() + ":" + config.proxyPort() + "/" + config.transport().wireName());
    }
    p.setProperty("gov.nist.javax.sip.STACK_LOGGER", Slf4jStackLogger.class.getName());
    p.setProperty("gov.nist.javax.sip.SERVER_LOGGER", Slf4jServerLogger.class.getName());
    p.setProperty("gov.nist.javax.sip.THREAD_POOL_SIZE", Integer.toString(config.stackThreads()));
    p.setProperty("gov.nist.javax.sip.TCP_POST_PARSING_THREAD_POOL_SIZE", Integer.toString(config.stackThreads()));
    // Listener calls in order on one stack thread; SipUserAgent hands them to its own thread at once.
    p.setProperty("gov.nist.javax.sip.REENTRANT_LISTENER", "false");
    // A second 2xx with another To-tag (a fork) arrives as its own dialog, so it can be ACKed and ended.
    p.setProperty("gov.nist.javax.sip.MAX_FORK_TIME_SECONDS", "32");
    p.setProperty("gov.nist.javax.sip.MAX_MESSAGE_SIZE", "65536");
    // Responses to branches this stack never generated are dropped: they must not create dialogs.
    p.setProperty("gov.nist.javax.sip.REJECT_STRAY_RESPONSES", "true");
    p.setProperty("gov.nist.javax.sip.AGGRESSIVE_CLEANUP", "true");
    p.setProperty("gov.nist.javax.sip.CACHE_CLIENT_CONNECTIONS", "true");
    p.setProperty("gov.nist.javax.sip.LOG_STACK_TRACE_ON_MESSAGE_SEND", "false");
    p.setProperty("gov.nist.javax.sip.AUTOMATIC_DIALOG_ERROR_HANDLING", "true");
    if (config.transport() != SipTransport.UDP) {
      p.setProperty("gov.nist.javax.sip.TLS_CLIENT_AUTH_TYPE", "Disabled");
      p.setProperty("gov.nist.javax.sip.TLS_SECURITY_POLICY", TlsHostPolicy.class.getName());
      p.setProperty("gov.nist.javax.sip.TLS_CLIENT_PROTOCOLS", "TLSv1.3,TLSv1.2");
      // jain-sip's own default list is a few old RSA suites; use what the JDK enables by default instead.
      p.setProperty("gov.nist.javax.sip.ENABLED_CIPHER_SUITES", jdkCipherSuites());
      copySystemProperty(p, "javax.net.ssl.keyStore");
      copySystemProperty(p, "javax.net.ssl.keyStorePassword");
      copySystemProperty(p, "javax.net.ssl.keyStoreType");
      copySystemProperty(p, "javax.net.ssl.trustStore");
      copySystemProperty(p, "javax.net.ssl.trustStorePassword");
      copySystemProperty(p, "javax.net.ssl.trustStoreType");
    }
    SipStackImpl stack;
    try {
      stack = new SipStackImpl(p);
    } catch (PeerUnavailableException e) {
      throw new SipException("the SIP stack did not start: " + e.getMessage(), e);
    }
    SipFactory factory = SipFactory.getInstance();
    AddressFactory af;
    HeaderFactory hf;
    MessageFactory mf;
    try {
      af = factory.createAddressFactory();
      hf = factory.createHeaderFactory();
      mf = factory.createMessageFactory();
    } catch (PeerUnavailableException e) {
      stack.stop();
      throw new SipException("the SIP stack's factories are missing: " + e.getMessage(), e);
    }
    String transport = config.transport().wireName();
    List<String> failures = new ArrayList<>();
    for (int port = config.localPortMin(); port <= config.localPortMax(); port++) {
      ListeningPoint lp;
      try {
        lp = stack.createListeningPoint(ip, port, transport);
      } catch (InvalidArgumentException | TransportNotSupportedException e) {
        failures.add(port + ": " + e.getMessage());
        continue;
      }
      try {
        SipProvider provider = stack.createSipProvider(lp);
        provider.addSipListener(listener);
        stack.start();
        log.info("SIP listening on {}:{}/{}", ip, port, transport);
        return new SipEndpoint(config, listener, stack, (ListeningPointExt) lp, provider, af, hf, mf);
      } catch (TooManyListenersException | javax.sip.SipException e) {
        stack.stop();
        throw new SipException("the SIP stack did not start on " + ip + ":" + port + ": " + e.getMessage(), e);
      }
    }
    stack.stop();
    throw new SipException("no free local SIP port in " + config.localPortMin() + ".." + config.localPortMax()
        + " on " + ip + " (SIP_LOCAL_PORT): " + String.join("; ", failures));
  }

  private static String jdkCipherSuites() {
    try {
      return String.join(",", javax.net.ssl.SSLContext.getDefault().getDefaultSSLParameters().getCipherSuites());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new SipException("the JDK has no default TLS context: " + e.getMessage(), e);
    }
  }

  private static void copySystemProperty(Properties p, String name) {
    String v = System.getProperty(name);
    if (v != null) p.setProperty(name, v);
  }

  /** The configured address, else the one the OS routes to the proxy by, else loopback. */
  static String chooseBindAddress(SipConfig config) {
    if (config.bindAddress() != null) return config.bindAddress();
    if (config.proxyHost() == null) return "127.0.0.1";
    try (DatagramSocket probe = new DatagramSocket()) {
      // connect() on UDP sends nothing: it only asks the routing table which local address would be used.
      probe.connect(new InetSocketAddress(InetAddress.getByName(config.proxyHost()), config.proxyPort()));
      InetAddress local = probe.getLocalAddress();
      if (local != null && !local.isAnyLocalAddress()) return local.getHostAddress();
    } catch (UnknownHostException e) {
      log.warn("cannot resolve the SIP proxy {} yet: binding to the host's address", config.proxyHost());
    } catch (SocketException e) {
      log.warn("cannot find a route to the SIP proxy {}: {}", config.proxyHost(), e.getMessage());
    }
    try {
      return InetAddress.getLocalHost().getHostAddress();
    } catch (UnknownHostException e) {
      return "127.0.0.1";
    }
  }

  /** Why the TLS host check last refused a peer, or null. */
  String tlsRefusal() {
    Object policy = stack.getTlsSecurityPolicy();
    return policy instanceof TlsHostPolicy ? ((TlsHostPolicy) policy).lastRefusal() : null;
  }

  /** Host and port others should reach us at: SIP_PUBLIC_ADDRESS when set. */
  String contactHost() {
    String h = config.publicHost();
    return h != null ? h : localIp;
  }

  int contactPort() {
    int p = config.publicPort();
    return p > 0 ? p : localPort;
  }

  /** The address we put in SDP {@code c=}. */
  String mediaAddress() {
    return contactHost();
  }

  SipURI aorUri() throws ParseException {
    return addresses.createSipURI(config.user(), config.domain());
  }

  ContactHeader contact() throws ParseException {
    SipURI uri = addresses.createSipURI(config.user(), contactHost());
    uri.setPort(contactPort());
    if (config.transport() != SipTransport.UDP) uri.setTransportParam(config.transport().wireName());
    return headers.createContactHeader(addresses.createAddress(uri));
  }

  ViaHeader via() throws ParseException, InvalidArgumentException {
    ViaHeader via = headers.createViaHeader(localIp, localPort, config.transport().wireName(), null);
    via.setRPort();
    return via;
  }

  /** A new out-of-dialog request with Via (rport), Max-Forwards and User-Agent. */
  Request newRequest(String method, javax.sip.address.URI requestUri, FromHeader from, ToHeader to,
      CallIdHeader callId, long cseq) throws ParseException, InvalidArgumentException {
    List<ViaHeader> vias = new ArrayList<>(1);
    vias.add(via());
    CSeqHeader cs = headers.createCSeqHeader(cseq, method);
    Request r = messages.createRequest(requestUri, method, callId, cs, from, to, vias,
        headers.createMaxForwardsHeader(70));
    addUserAgent(r);
    return r;
  }

  void addUserAgent(Message m) throws ParseException {
    m.setHeader(headers.createHeader(m instanceof Request ? "User-Agent" : "Server", config.userAgent()));
  }

  void addAllow(Message m) throws ParseException {
    m.removeHeader("Allow");
    for (String method : ALLOW.split(", ")) m.addHeader(headers.createAllowHeader(method));
  }

  /** Adds our answer to {@code challenge} as {@code Authorization} or {@code Proxy-Authorization}. */
  Header credentials(DigestChallenge challenge, String value) throws ParseException {
    return headers.createHeader(challenge.proxy() ? "Proxy-Authorization" : "Authorization", value);
  }

  Response response(int code, Request request) throws ParseException {
    Response r = messages.createResponse(code, request);
    addUserAgent(r);
    return r;
  }

  /** A header's value without its name, or null. */
  static String value(Message m, String name) {
    Header h = m.getHeader(name);
    if (h == null) return null;
    if (h instanceof SIPHeader) return ((SIPHeader) h).getHeaderValue().trim();
    String s = h.toString();
    int colon = s.indexOf(':');
    return (colon < 0 ? s : s.substring(colon + 1)).trim();
  }

  void stop() {
    provider.removeSipListener(listener);
    try {
      stack.deleteSipProvider(provider);
    } catch (ObjectInUseException e) {
      log.debug("SIP provider still in use at stop", e);
    }
    stack.stop();
  }
}
