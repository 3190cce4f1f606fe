package io.voiceagent.core.ai;

import io.voiceagent.core.call.CallId;
import java.util.Map;

/**
 * Answers the agent's client tool calls (ElevenLabs {@code client_tool_call}) for one tool name. Registered
 * by the embedding application on the {@link io.voiceagent.core.service.CallService}; runs on the
 * {@code call-control} executor, never on a socket reader. A tool without a handler gets an error result
 * ("not available") so the agent never waits.
 */
public interface ToolHandler {
  /** The tool's name as the agent calls it. */
  String toolName();

  /**
   * Runs the tool. A thrown exception becomes an error result carrying its message.
   *
   * @param parameters the call's parameters as parsed JSON (strings, numbers, booleans, lists, maps)
   */
  ToolResult call(CallId callId, Map<String, Object> parameters) throws Exception;
}
