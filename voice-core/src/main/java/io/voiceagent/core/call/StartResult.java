package io.voiceagent.core.call;

/** The call a start request made, or the earlier call its idempotency key named ({@code created} false). */
public record StartResult(Call call, boolean created) {}
