/**
 * Classes the SIP stack instantiates by name (its SLF4J loggers). Public only for that reason: not an API
 * for other modules.
 */
package io.voiceagent.sip.internal;
