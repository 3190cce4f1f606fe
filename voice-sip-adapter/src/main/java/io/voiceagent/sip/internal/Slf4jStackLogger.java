package io.voiceagent.sip.internal;

import gov.nist.core.StackLogger;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * jain-sip's stack log, written to SLF4J under {@code gov.nist.javax.sip}. jain-sip's default
 * {@code LogWriter} links to log4j 1.x, which is banned here; the stack instantiates this class by name
 * from the {@code gov.nist.javax.sip.STACK_LOGGER} property, which is why it is public.
 *
 * <p>The stack's chatty DEBUG and TRACE levels both go to SLF4J's TRACE, its INFO to DEBUG: the stack's
 * own story is detail for us; our adapter tells the call's story at INFO.
 */
public final class Slf4jStackLogger implements StackLogger {
  private static final Logger log = LoggerFactory.getLogger("gov.nist.javax.sip");
  private static final Logger wire = LoggerFactory.getLogger("io.voiceagent.sip.wire");
  private volatile boolean enabled = true;

  /** Called by jain-sip through reflection. */
  public Slf4jStackLogger() {}

  @Override public void logStackTrace() {
    if (log.isTraceEnabled()) log.trace("stack trace", new Throwable("stack trace"));
  }

  @Override public void logStackTrace(int traceLevel) {
    logStackTrace();
  }

  @Override public int getLineCount() {
    return 0;
  }

  @Override public void logException(Throwable ex) {
    log.warn("SIP stack exception", ex);
  }

  @Override public void logDebug(String message) {
    log.trace("{}", message);
  }

  @Override public void logDebug(String message, Exception ex) {
    log.trace("{}", message, ex);
  }

  @Override public void logTrace(String message) {
    log.trace("{}", message);
  }

  @Override public void logFatalError(String message) {
    log.error("{}", message);
  }

  @Override public void logError(String message) {
    log.warn("{}", message);
  }

  @Override public boolean isLoggingEnabled() {
    return enabled;
  }

  @Override public boolean isLoggingEnabled(int logLevel) {
    if (!enabled) return false;
    if (logLevel >= TRACE_DEBUG) return log.isTraceEnabled();
    // TRACE_MESSAGES shares TRACE_INFO's value: the stack asks it before handing messages to the wire log
    if (logLevel >= TRACE_INFO) return log.isDebugEnabled() || (logLevel == TRACE_MESSAGES && wire.isDebugEnabled());
    if (logLevel >= TRACE_WARN) return log.isInfoEnabled();
    return logLevel > TRACE_NONE && log.isWarnEnabled();
  }

  @Override public void logError(String message, Exception ex) {
    log.warn("{}", message, ex);
  }

  @Override public void logWarning(String message) {
    log.info("{}", message);
  }

  @Override public void logInfo(String message) {
    log.debug("{}", message);
  }

  @Override public void disableLogging() {
    enabled = false;
  }

  @Override public void enableLogging() {
    enabled = true;
  }

  @Override public void setBuildTimeStamp(String buildTimeStamp) {}

  @Override public void setStackProperties(Properties stackProperties) {}

  @Override public String getLoggerName() {
    return log.getName();
  }
}
