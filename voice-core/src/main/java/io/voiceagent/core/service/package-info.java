/**
 * The use cases ({@link io.voiceagent.core.service.CallService}: start, hang up, get, list, DTMF) and the
 * orchestration of each call between telephony, answering-machine detection and the AI; the
 * {@link io.voiceagent.core.service.CallRepository} port and its in-memory implementation.
 */
package io.voiceagent.core.service;
