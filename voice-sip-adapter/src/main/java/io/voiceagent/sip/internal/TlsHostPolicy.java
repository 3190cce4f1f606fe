package io.voiceagent.sip.internal;

import gov.nist.javax.sip.ClientTransactionExt;
import gov.nist.javax.sip.TlsSecurityPolicy;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.sip.address.Hop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks that the TLS peer's certificate names the host we connected to (its subject alternative names,
 * RFC 5922 §7.2), which jain-sip does not do by itself: the JDK's trust manager has already checked the chain.
 * The stack instantiates this class by name from {@code gov.nist.javax.sip.TLS_SECURITY_POLICY}, hence public.
 */
public final class TlsHostPolicy implements TlsSecurityPolicy {
  private static final Logger log = LoggerFactory.getLogger(TlsHostPolicy.class);
  private volatile String lastRefusal;

  /** Called by jain-sip through reflection. */
  public TlsHostPolicy() {}

  /** Why the last TLS peer was refused, or null: the stack drops the request silently, so callers ask here. */
  public String lastRefusal() {
    return lastRefusal;
  }

  @Override public void enforceTlsPolicy(ClientTransactionExt tx) throws SecurityException {
    if (tx == null) return; // a connection opened to send a response: the far end chose it, nothing to match
    try {
      check(tx);
    } catch (SecurityException e) {
      lastRefusal = e.getMessage();
      log.warn("TLS peer refused: {}", e.getMessage());
      throw e;
    }
  }

  private static void check(ClientTransactionExt tx) {
    Hop hop = tx.getNextHop();
    if (hop == null) throw new SecurityException("TLS peer has no known host to check its certificate against");
    String host = hop.getHost();
    Certificate[] chain;
    try {
      chain = tx.getPeerCertificates();
    } catch (SSLPeerUnverifiedException e) {
      throw new SecurityException("TLS peer " + host + " presented no verified certificate", e);
    }
    if (chain == null || chain.length == 0 || !(chain[0] instanceof X509Certificate)) {
      throw new SecurityException("TLS peer " + host + " presented no X.509 certificate");
    }
    List<String> names = names((X509Certificate) chain[0]);
    for (String name : names) {
      if (matches(name, host)) return;
    }
    throw new SecurityException("the TLS certificate of " + host + " names " + names + ", not " + host);
  }

  static List<String> names(X509Certificate cert) {
    List<String> out = new ArrayList<>();
    try {
      Collection<List<?>> sans = cert.getSubjectAlternativeNames();
      if (sans != null) {
        for (List<?> san : sans) {
          Object type = san.get(0);
          if (Integer.valueOf(2).equals(type) || Integer.valueOf(7).equals(type)) out.add(String.valueOf(san.get(1)));
        }
      }
    } catch (CertificateParsingException e) {
      // no readable alternative names: nothing matches
    }
    return out;
  }

  static boolean matches(String name, String host) {
    String n = name.toLowerCase(Locale.ROOT);
    String h = host.toLowerCase(Locale.ROOT);
    if (n.equals(h)) return true;
    if (n.startsWith("*.")) {
      int dot = h.indexOf('.');
      return dot > 0 && h.substring(dot).equals(n.substring(1));
    }
    return false;
  }
}
