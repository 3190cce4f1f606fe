package io.voiceagent.core.service;

import io.voiceagent.core.call.Call;
/** The call a start request made, or the earlier call its idempotency key named ({@code created} false). */
public record StartResult(Call call, boolean created) {}
