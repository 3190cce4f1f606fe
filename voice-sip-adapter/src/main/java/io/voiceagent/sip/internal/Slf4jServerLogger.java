package io.voiceagent.sip.internal;

import gov.nist.core.ServerLogger;
import gov.nist.javax.sip.message.SIPMessage;
import java.util.Properties;
import javax.sip.SipStack;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * jain-sip's message trace, written to SLF4J under {@code io.voiceagent.sip.wire} at DEBUG (one line per
 * message with its first line; the whole message at TRACE). Instantiated by the stack by name from the
 * {@code gov.nist.javax.sip.SERVER_LOGGER} property, hence public.
 *
 * <p>Authorization headers carry a digest response, never the password, so whole messages are safe to
 * trace.
 */
public final class Slf4jServerLogger implements ServerLogger {
  private static final Logger log = LoggerFactory.getLogger("io.voiceagent.sip.wire");

  /** Called by jain-sip through reflection. */
  public Slf4jServerLogger() {}

  @Override public void closeLogFile() {}

  @Override public void logMessage(SIPMessage message, String from, String to, boolean sender, long time) {
    trace(message, from, to, sender);
  }

  @Override public void logMessage(SIPMessage message, String from, String to, String status, boolean sender,
      long time) {
    trace(message, from, to, sender);
  }

  @Override public void logMessage(SIPMessage message, String from, String to, String status, boolean sender) {
    trace(message, from, to, sender);
  }

  private static void trace(SIPMessage message, String from, String to, boolean sender) {
    if (log.isTraceEnabled()) {
      log.trace("{} {} → {}\n{}", sender ? "sent" : "received", from, to, message.encode());
    } else if (log.isDebugEnabled()) {
      log.debug("{} {} → {}: {}", sender ? "sent" : "received", from, to, message.getFirstLine().trim());
    }
  }

  @Override public void logException(Exception ex) {
    log.debug("SIP stack exception", ex);
  }

  @Override public void setStackProperties(Properties stackProperties) {}

  @Override public void setSipStack(SipStack sipStack) {}
}
