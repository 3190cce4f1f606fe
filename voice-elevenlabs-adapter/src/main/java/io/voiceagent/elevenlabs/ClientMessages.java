package io.voiceagent.elevenlabs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voiceagent.core.ai.AiCallOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The client's control messages (audio chunks are built by {@link Upstream}). Each is rare, so each is a small
 * Jackson tree; Jackson does the JSON escaping.
 */
final class ClientMessages {
  private final ObjectMapper mapper;

  ClientMessages(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  /** The initiation and the names of the overrides in it (each must be enabled on the agent). */
  record Initiation(String json, List<String> overrides) {}

  /**
   * {@code conversation_initiation_client_data} with only what is set: no nulls, no empty strings, no empty
   * objects. The protocol has no audio-format, VAD or chunk-size fields, so none are sent.
   */
  Initiation initiation(AiCallOptions options, String defaultFirstMessage, String language) {
    ObjectNode root = mapper.createObjectNode();
    root.put("type", "conversation_initiation_client_data");
    List<String> overrides = new ArrayList<>(2);
    String firstMessage = nonBlank(options.firstMessage()) != null ? options.firstMessage() : nonBlank(defaultFirstMessage);
    ObjectNode agent = mapper.createObjectNode();
    if (firstMessage != null) {
      agent.put("first_message", firstMessage);
      overrides.add("first_message");
    }
    if (language != null) {
      agent.put("language", language);
      overrides.add("language");
    }
    if (!agent.isEmpty()) root.putObject("conversation_config_override").set("agent", agent);
    if (!options.dynamicVariables().isEmpty()) {
      ObjectNode vars = root.putObject("dynamic_variables");
      for (Map.Entry<String, String> e : new java.util.TreeMap<>(options.dynamicVariables()).entrySet()) {
        vars.put(e.getKey(), e.getValue());
      }
    }
    root.put("user_id", options.userId());
    return new Initiation(write(root), List.copyOf(overrides));
  }

  String pong(long eventId) {
    return "{\"type\":\"pong\",\"event_id\":" + eventId + "}";
  }

  /** {@code client_tool_result}: every field required, {@code result} a string. */
  String toolResult(String toolCallId, String result, boolean isError) {
    ObjectNode root = mapper.createObjectNode();
    root.put("type", "client_tool_result");
    root.put("tool_call_id", toolCallId);
    root.put("result", result);
    root.put("is_error", isError);
    return write(root);
  }

  private String write(ObjectNode node) {
    try {
      return mapper.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree of strings could not be written", e);
    }
  }

  private static String nonBlank(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
