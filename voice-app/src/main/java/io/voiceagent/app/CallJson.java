package io.voiceagent.app;

import io.voiceagent.core.call.Call;
import io.voiceagent.core.call.TranscriptEntry;
import io.voiceagent.core.telephony.MediaStats;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** SPEC's JSON shapes of a call and of its media statistics (snake_case, ISO-8601 UTC, nulls kept). */
final class CallJson {
  private CallJson() {}

  static Map<String, Object> of(Call c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", c.id().value());
    m.put("phone_number", c.phoneNumber().digits());
    m.put("direction", c.direction().wireName());
    m.put("status", c.status().wireName());
    m.put("started_at", time(c.startedAt()));
    m.put("answered_at", time(c.answeredAt()));
    m.put("ended_at", time(c.endedAt()));
    m.put("end_reason", c.endReason() == null ? null : c.endReason().wireName());
    m.put("message", c.message());
    m.put("sip_code", c.sipCode());
    m.put("ai_connected", c.aiConnected());
    m.put("conversation_id", c.conversationId());
    m.put("external_id", c.externalId());
    m.put("amd_result", c.amd() == null ? null : c.amd().result().wireName());
    m.put("amd_cause", c.amd() == null ? null : c.amd().cause());
    m.put("amd_ms", c.amd() == null ? null : c.amd().millis());
    Map<String, Object> latency = new LinkedHashMap<>();
    latency.put("answer_to_ai_ready_ms", c.latency().answerToAiReadyMs());
    latency.put("ai_ready_to_first_audio_ms", c.latency().aiReadyToFirstAudioMs());
    latency.put("turn_ms", c.latency().turnMs());
    m.put("latency", latency);
    List<Map<String, Object>> transcript = new ArrayList<>();
    for (TranscriptEntry e : c.transcript()) {
      Map<String, Object> t = new LinkedHashMap<>();
      t.put("role", e.role().wireName());
      t.put("text", e.text());
      t.put("at", time(e.at()));
      transcript.add(t);
    }
    m.put("transcript", transcript);
    return m;
  }

  static Map<String, Object> of(MediaStats s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("codec", s.codec());
    m.put("remote", s.remote());
    m.put("packets_sent", s.packetsSent());
    m.put("packets_received", s.packetsReceived());
    m.put("packets_lost", s.packetsLost());
    m.put("jitter_ms", s.jitterMs());
    m.put("late_or_reordered", s.lateOrReordered());
    m.put("concealed_ms", s.concealedMs());
    return m;
  }

  private static String time(Instant t) {
    return t == null ? null : t.toString();
  }
}
