package io.voiceagent.exolve;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import java.util.Objects;

/**
 * One Exolve call event as far as we read it. The payload is not documented; the fields are those one
 * integrator handles [3P]: {@code type}, {@code call_id} (uint64, a JSON number or string), {@code call_sid},
 * {@code cause_code} (Q.850, a string or number), {@code from}/{@code to} (or {@code calling_number}/
 * {@code called_number}).
 *
 * @param type      lower-cased {@code type}: {@code b}, {@code s}, {@code d}, {@code e}, {@code crr}, … or ""
 * @param callId    {@code call_id} as text, or null
 * @param callSid   {@code call_sid}, or null
 * @param causeCode {@code cause_code} as a number, or null when absent or not a number
 * @param summary   the event's fields for logs (at most a few hundred characters)
 */
record WebhookEvent(String type, String callId, String callSid, Integer causeCode, String summary) {
  WebhookEvent {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(summary, "summary");
  }

  static WebhookEvent parse(JsonNode node) {
    JsonNode type = node.get("type");
    String t = type != null && type.isValueNode() ? type.asText().trim().toLowerCase(Locale.ROOT) : "";
    String callId = ExolveApi.idText(node.get("call_id"));
    JsonNode sid = node.get("call_sid");
    String callSid = sid != null && sid.isValueNode() && !sid.asText().isBlank() ? sid.asText().trim() : null;
    Integer cause = null;
    JsonNode c = node.get("cause_code");
    if (c != null && c.isIntegralNumber()) {
      cause = c.intValue();
    } else if (c != null && c.isTextual() && c.asText().trim().matches("[0-9]{1,4}")) {
      cause = Integer.parseInt(c.asText().trim());
    }
    String text = node.toString();
    return new WebhookEvent(t, callId, callSid, cause, text.length() > 400 ? text.substring(0, 400) + "…" : text);
  }

  /** Whether this event ends the call ({@code d} with metrics, {@code e}). */
  boolean isEnd() {
    return type.equals("d") || type.equals("e");
  }
}
