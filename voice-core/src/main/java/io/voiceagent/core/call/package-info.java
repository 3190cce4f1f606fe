/**
 * The call model: immutable snapshots, the status state machine, end reasons, and the typed errors of
 * the use cases. Ports and the service depend on it; it depends on nothing else in core.
 */
package io.voiceagent.core.call;
