package io.voiceagent.elevenlabs;

import com.fasterxml.jackson.core.Base64Variant;
import com.fasterxml.jackson.core.Base64Variants;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads one server message ({@code {"type": T, "<payload key>": {…}}}) and calls the matching {@link Handler}
 * method. Field order is not assumed. Audio, by far the most frequent message, is read with a streaming parser
 * and its base64 decoded straight into a fixed buffer: no tree, no string copy of the audio, no growth. Rare
 * messages are read as trees.
 *
 * <p>One instance per session, used by its reader thread only (the decode buffer is reused).
 */
final class ServerMessageParser {
  /** Decoded agent audio handed over per call; larger messages are handed over in pieces of this size. */
  static final int AUDIO_BUFFER_BYTES = 32 * 1024;

  /** Standard base64; padding tolerated either way, since the protocol does not pin it down. */
  private static final Base64Variant BASE64 = Base64Variants.MIME_NO_LINEFEEDS.withPaddingAllowed();

  /** What the session does with each message. Called on the reader thread. */
  interface Handler {
    void metadata(String conversationId, String userInputFormat, String agentOutputFormat);

    /** Agent audio (already decoded); the array is reused after this returns. */
    void audio(byte[] data, int offset, int length, long eventId);

    void interruption(long eventId);

    void agentResponse(String text);

    void agentResponseCorrection(String original, String corrected);

    void userTranscript(String text);

    void ping(long eventId, Long pingMillis);

    void clientToolCall(String toolName, String toolCallId, Map<String, Object> parameters);

    void agentToolResponse(String toolName, String toolType, boolean isError);

    void error(ErrorEvent error);

    /** A type we know and deliberately ignore (tentative transcripts, VAD scores…). */
    void ignored(String type);

    /** A type we do not know. */
    void unknown(String type);
  }

  /** The fields of an {@code error} event that help a human; any may be null. */
  record ErrorEvent(String code, String errorType, String message, String reason) {
    /** {@code error_type: message (reason)}, skipping what is missing. */
    String summary() {
      StringBuilder b = new StringBuilder();
      if (errorType != null) b.append(errorType);
      if (code != null) b.append(b.length() > 0 ? " " : "").append('[').append(code).append(']');
      if (message != null) b.append(b.length() > 0 ? ": " : "").append(message);
      if (reason != null && !reason.equals(message)) b.append(b.length() > 0 ? " (" : "(").append(reason).append(')');
      return b.length() == 0 ? "no details" : b.toString();
    }
  }

  /** A message we cannot use: not JSON, no type, a required field missing, bad base64. */
  static final class MalformedMessageException extends Exception {
    private static final long serialVersionUID = 1L;

    MalformedMessageException(String message) {
      super(message);
    }

    MalformedMessageException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** Object-valued fields kept per message; real messages have one. */
  private static final int MAX_OBJECTS = 4;

  private final ObjectMapper mapper;
  private final AudioBuffer audio = new AudioBuffer();

  ServerMessageParser(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  void parse(String text, Handler h) throws MalformedMessageException {
    String type = null;
    Map<String, JsonNode> objects = null; // the payload objects of a non-audio message, by key
    boolean audioEvent = false;
    long audioEventId = -1;
    try (JsonParser p = mapper.createParser(text)) {
      if (p.nextToken() != JsonToken.START_OBJECT) throw new MalformedMessageException("not a JSON object");
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        if ("type".equals(name)) {
          type = value == JsonToken.VALUE_STRING ? p.getText() : null;
        } else if ("audio_event".equals(name) && value == JsonToken.START_OBJECT) {
          audioEvent = true;
          audioEventId = readAudioEvent(p);
        } else if (value == JsonToken.START_OBJECT && (objects == null || objects.size() < MAX_OBJECTS)) {
          if (objects == null) objects = new HashMap<>(4);
          objects.put(name, p.readValueAsTree());
        } else {
          p.skipChildren();
        }
      }
      if (p.currentToken() != JsonToken.END_OBJECT) throw new MalformedMessageException("truncated JSON");
    } catch (JsonProcessingException e) {
      throw new MalformedMessageException("not valid JSON or base64: " + e.getOriginalMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new MalformedMessageException("bad base64: " + e.getMessage(), e); // Jackson's decoder says so this way
    } catch (IOException e) {
      throw new MalformedMessageException("unreadable: " + e.getMessage(), e);
    }
    if (type == null) throw new MalformedMessageException("no \"type\"");
    dispatch(type, objects == null ? Map.of() : objects, audioEvent, audioEventId, text, h);
  }

  private void dispatch(String type, Map<String, JsonNode> objects, boolean audioEvent, long audioEventId,
      String text, Handler h) throws MalformedMessageException {
    switch (type) {
      case "audio":
        if (!audioEvent) throw new MalformedMessageException("audio without audio_event");
        deliverAudio(text, audioEventId, h);
        return;
      case "conversation_initiation_metadata": {
        JsonNode m = payload(objects, "conversation_initiation_metadata_event", type);
        h.metadata(requiredText(m, "conversation_id", type), requiredText(m, "user_input_audio_format", type),
            requiredText(m, "agent_output_audio_format", type));
        return;
      }
      case "interruption":
        h.interruption(requiredLong(payload(objects, "interruption_event", type), "event_id", type));
        return;
      case "agent_response":
        h.agentResponse(requiredText(payload(objects, "agent_response_event", type), "agent_response", type));
        return;
      case "agent_response_correction": {
        JsonNode c = payload(objects, "agent_response_correction_event", type);
        h.agentResponseCorrection(requiredText(c, "original_agent_response", type),
            requiredText(c, "corrected_agent_response", type));
        return;
      }
      case "user_transcript":
        h.userTranscript(requiredText(payload(objects, "user_transcription_event", type),
            "user_transcript", type));
        return;
      case "ping": {
        JsonNode ping = payload(objects, "ping_event", type);
        JsonNode ms = ping.get("ping_ms");
        h.ping(requiredLong(ping, "event_id", type), ms != null && ms.canConvertToLong() ? ms.asLong() : null);
        return;
      }
      case "client_tool_call": {
        JsonNode call = payload(objects, "client_tool_call", type);
        JsonNode params = call.get("parameters");
        Map<String, Object> parameters = params == null || !params.isObject()
            ? Map.of()
            : mapper.convertValue(params, mapper.getTypeFactory().constructMapType(Map.class, String.class, Object.class));
        h.clientToolCall(requiredText(call, "tool_name", type), requiredText(call, "tool_call_id", type), parameters);
        return;
      }
      case "agent_tool_response": {
        JsonNode r = payload(objects, "agent_tool_response", type);
        h.agentToolResponse(requiredText(r, "tool_name", type), text(r, "tool_type"),
            r.path("is_error").asBoolean(false));
        return;
      }
      case "error": {
        JsonNode e = objects.getOrDefault("error_event", mapper.createObjectNode());
        h.error(new ErrorEvent(text(e, "code"), text(e, "error_type"), text(e, "message"), text(e, "reason")));
        return;
      }
      case "tentative_user_transcript":
      case "internal_tentative_agent_response":
      case "vad_score":
      case "agent_chat_response_part":
      case "internal_turn_probability":
      case "asr_initiation_metadata":
        h.ignored(type);
        return;
      default:
        h.unknown(type);
    }
  }

  /** Reads {@code audio_event}: decodes the audio into the buffer (counting past its end) and returns the event id. */
  private long readAudioEvent(JsonParser p) throws IOException, MalformedMessageException {
    long eventId = -1;
    boolean sawAudio = false;
    audio.reset();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken value = p.nextToken();
      if ("audio_base_64".equals(name) && value == JsonToken.VALUE_STRING) {
        sawAudio = true;
        p.readBinaryValue(BASE64, audio);
      } else if ("event_id".equals(name) && value == JsonToken.VALUE_NUMBER_INT) {
        eventId = p.getLongValue();
      } else {
        p.skipChildren();
      }
    }
    if (!sawAudio) throw new MalformedMessageException("audio_event without audio_base_64");
    if (eventId < 0) throw new MalformedMessageException("audio_event without event_id");
    return eventId;
  }

  /**
   * Hands the decoded audio over. The first pass decoded (and so validated) all of it; when it fit, it is in
   * the buffer already. A longer message is decoded again, piece by piece, in a second pass over the text, so
   * memory stays at one buffer whatever the server sends.
   */
  private void deliverAudio(String text, long eventId, Handler h) throws MalformedMessageException {
    if (audio.total == 0) return;
    if (!audio.overflowed()) {
      h.audio(audio.data, 0, audio.total, eventId);
      return;
    }
    audio.stream(h, eventId);
    try (JsonParser p = mapper.createParser(text)) {
      p.nextToken();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        if (!"audio_event".equals(name) || value != JsonToken.START_OBJECT) {
          p.skipChildren();
          continue;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String field = p.currentName();
          p.nextToken();
          if ("audio_base_64".equals(field)) {
            p.readBinaryValue(BASE64, audio);
            audio.flush();
            return;
          }
          p.skipChildren();
        }
      }
    } catch (IOException | IllegalArgumentException e) {
      throw new MalformedMessageException("audio unreadable on the second pass: " + e.getMessage(), e);
    } finally {
      audio.reset();
    }
  }

  private static JsonNode payload(Map<String, JsonNode> objects, String expected, String type)
      throws MalformedMessageException {
    JsonNode payload = objects.get(expected);
    if (payload == null) throw new MalformedMessageException(type + " without " + expected);
    return payload;
  }

  private static String requiredText(JsonNode node, String field, String type) throws MalformedMessageException {
    JsonNode v = node.get(field);
    if (v == null || !v.isTextual()) throw new MalformedMessageException(type + " without " + field);
    return v.asText();
  }

  private static long requiredLong(JsonNode node, String field, String type) throws MalformedMessageException {
    JsonNode v = node.get(field);
    if (v == null || !v.canConvertToLong() || !v.isIntegralNumber()) {
      throw new MalformedMessageException(type + " without a numeric " + field);
    }
    return v.asLong();
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  /**
   * Where base64 decodes to. Collecting: fills {@link #data} and counts past its end. Streaming: hands every
   * full buffer to the handler.
   */
  private static final class AudioBuffer extends OutputStream {
    final byte[] data = new byte[AUDIO_BUFFER_BYTES];
    int total;      // bytes decoded in collecting mode (may exceed data.length)
    int filled;     // bytes in data
    Handler handler; // non-null in streaming mode
    long eventId;

    void reset() {
      total = 0;
      filled = 0;
      handler = null;
    }

    boolean overflowed() {
      return total > data.length;
    }

    void stream(Handler h, long id) {
      handler = h;
      eventId = id;
      filled = 0;
    }

    @Override public void write(int b) {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override public void write(byte[] b, int off, int len) {
      if (handler == null) {
        int room = Math.max(0, data.length - filled);
        int n = Math.min(room, len);
        System.arraycopy(b, off, data, filled, n);
        filled += n;
        total += len;
        return;
      }
      int o = off;
      int left = len;
      while (left > 0) {
        int n = Math.min(left, data.length - filled);
        System.arraycopy(b, o, data, filled, n);
        filled += n;
        o += n;
        left -= n;
        if (filled == data.length) flush();
      }
    }

    @Override public void flush() {
      if (handler != null && filled > 0) {
        handler.audio(data, 0, filled, eventId);
        filled = 0;
      }
    }
  }
}
