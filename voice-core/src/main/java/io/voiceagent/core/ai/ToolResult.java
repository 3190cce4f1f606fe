package io.voiceagent.core.ai;

import java.util.Objects;

/** What a tool answered: text for the agent, and whether it is an error. */
public record ToolResult(String result, boolean isError) {
  public ToolResult {
    Objects.requireNonNull(result, "result");
  }

  public static ToolResult ok(String result) {
    return new ToolResult(result, false);
  }

  public static ToolResult error(String message) {
    return new ToolResult(message, true);
  }
}
