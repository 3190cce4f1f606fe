/**
 * The call model (immutable snapshots, the status state machine, end reasons), the {@link
 * io.voiceagent.core.call.CallService} use cases and orchestration, and the {@link
 * io.voiceagent.core.call.CallRepository} port.
 */
package io.voiceagent.core.call;
