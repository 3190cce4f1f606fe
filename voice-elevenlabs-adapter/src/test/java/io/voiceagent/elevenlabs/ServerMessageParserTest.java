package io.voiceagent.elevenlabs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.voiceagent.elevenlabs.ServerMessageParser.ErrorEvent;
import io.voiceagent.elevenlabs.ServerMessageParser.MalformedMessageException;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerMessageParserTest {
  private final ServerMessageParser parser = new ServerMessageParser(new ObjectMapper());
  private final Recorder h = new Recorder();

  /** Writes down every call. */
  static final class Recorder implements ServerMessageParser.Handler {
    final List<String> calls = new ArrayList<>();
    final ByteArrayOutputStream audio = new ByteArrayOutputStream();
    final List<Integer> pieces = new ArrayList<>();
    ErrorEvent error;

    @Override public void metadata(String id, String in, String out) {
      calls.add("metadata " + id + " " + in + " " + out);
    }

    @Override public void audio(byte[] data, int offset, int length, long eventId) {
      audio.write(data, offset, length);
      pieces.add(length);
      calls.add("audio " + eventId);
    }

    @Override public void interruption(long eventId) {
      calls.add("interruption " + eventId);
    }

    @Override public void agentResponse(String text) {
      calls.add("agent " + text);
    }

    @Override public void agentResponseCorrection(String original, String corrected) {
      calls.add("correction " + original + " -> " + corrected);
    }

    @Override public void userTranscript(String text) {
      calls.add("user " + text);
    }

    @Override public void ping(long eventId, Long pingMillis) {
      calls.add("ping " + eventId + " " + pingMillis);
    }

    @Override public void clientToolCall(String toolName, String toolCallId, Map<String, Object> parameters) {
      calls.add("tool " + toolName + " " + toolCallId + " " + parameters);
    }

    @Override public void agentToolResponse(String toolName, String toolType, boolean isError) {
      calls.add("agent tool " + toolName + " " + toolType + " " + isError);
    }

    @Override public void error(ErrorEvent e) {
      error = e;
      calls.add("error");
    }

    @Override public void ignored(String type) {
      calls.add("ignored " + type);
    }

    @Override public void unknown(String type) {
      calls.add("unknown " + type);
    }
  }

  @Test void givenAudioWithEventIdBeforeOrAfterTheData_whenParsed_thenSameDelivery() throws Exception {
    byte[] pcm = ElevenLabsSessionTest.pattern(999, 5);
    String b64 = Base64.getEncoder().encodeToString(pcm);

    parser.parse("{\"audio_event\":{\"event_id\":7,\"audio_base_64\":\"" + b64 + "\",\"alignment\":{\"chars\":[\"a\"]}},\"type\":\"audio\"}", h);
    parser.parse(FakeElevenLabs.audio(pcm, 8), h);

    assertEquals(List.of("audio 7", "audio 8"), h.calls);
    byte[] both = h.audio.toByteArray();
    assertArrayEquals(pcm, java.util.Arrays.copyOfRange(both, 0, 999));
    assertArrayEquals(pcm, java.util.Arrays.copyOfRange(both, 999, 1998));
  }

  @Test void givenAudioLargerThanTheBuffer_whenParsed_thenHandedOverInPiecesOfAtMostTheBuffer() throws Exception {
    byte[] pcm = ElevenLabsSessionTest.pattern(3 * ServerMessageParser.AUDIO_BUFFER_BYTES + 123, 9);

    parser.parse(FakeElevenLabs.audio(pcm, 3), h);

    assertArrayEquals(pcm, h.audio.toByteArray());
    assertEquals(4, h.pieces.size());
    assertTrue(h.pieces.stream().allMatch(n -> n <= ServerMessageParser.AUDIO_BUFFER_BYTES), h.pieces.toString());
  }

  @Test void givenBadBase64_whenParsed_thenMalformedAndNothingDelivered() {
    assertThrows(MalformedMessageException.class, () -> parser.parse(
        "{\"type\":\"audio\",\"audio_event\":{\"audio_base_64\":\"AAAA!!!!\",\"event_id\":1}}", h));
    String big = Base64.getEncoder().encodeToString(new byte[100_000]);
    assertThrows(MalformedMessageException.class, () -> parser.parse(
        "{\"type\":\"audio\",\"audio_event\":{\"audio_base_64\":\"" + big + "*\",\"event_id\":1}}", h));
    assertEquals(List.of(), h.calls, "a corrupt message is dropped whole, even a long one");
  }

  @Test void givenRequiredFieldsMissing_whenParsed_thenMalformed() {
    for (String bad : List.of(
        "{\"type\":\"audio\",\"audio_event\":{\"audio_base_64\":\"AAAA\"}}",
        "{\"type\":\"audio\"}",
        "{\"type\":\"ping\",\"ping_event\":{}}",
        "{\"type\":\"interruption\",\"interruption_event\":{\"event_id\":\"x\"}}",
        "{\"type\":\"client_tool_call\",\"client_tool_call\":{\"tool_name\":\"t\"}}",
        "{\"type\":\"conversation_initiation_metadata\",\"conversation_initiation_metadata_event\":{\"conversation_id\":\"c\"}}",
        "{\"ping_event\":{\"event_id\":1}}",
        "{\"type\":\"ping\",\"ping_event\":{\"event_id\":1}",
        "\"just a string\"",
        "")) {
      assertThrows(MalformedMessageException.class, () -> parser.parse(bad, h), bad);
    }
    assertEquals(List.of(), h.calls);
  }

  @Test void givenEveryKnownType_whenParsed_thenTheMatchingHandlerRuns() throws Exception {
    parser.parse(FakeElevenLabs.metadata("conv_1", "ulaw_8000", "pcm_16000"), h);
    parser.parse("{\"type\":\"interruption\",\"interruption_event\":{\"event_id\":4}}", h);
    parser.parse("{\"type\":\"agent_response\",\"agent_response_event\":{\"agent_response\":\"Hi\",\"event_id\":1}}", h);
    parser.parse("{\"type\":\"agent_response_correction\",\"agent_response_correction_event\":{\"original_agent_response\":\"Hi there\",\"corrected_agent_response\":\"Hi\",\"event_id\":1}}", h);
    parser.parse("{\"type\":\"user_transcript\",\"user_transcription_event\":{\"user_transcript\":\"Hello\",\"event_id\":2}}", h);
    parser.parse("{\"type\":\"ping\",\"ping_event\":{\"event_id\":5,\"ping_ms\":48}}", h);
    parser.parse("{\"type\":\"ping\",\"ping_event\":{\"event_id\":6,\"ping_ms\":null}}", h);
    parser.parse("{\"type\":\"client_tool_call\",\"client_tool_call\":{\"tool_name\":\"t\",\"tool_call_id\":\"c1\",\"parameters\":{\"a\":[1,2]},\"event_id\":3}}", h);
    parser.parse("{\"type\":\"agent_tool_response\",\"agent_tool_response\":{\"tool_name\":\"end_call\",\"tool_call_id\":\"c2\",\"tool_type\":\"system\",\"is_error\":false,\"is_called\":true,\"event_id\":9}}", h);
    parser.parse("{\"type\":\"vad_score\",\"vad_score_event\":{\"vad_score\":0.5}}", h);
    parser.parse("{\"type\":\"guardrail_triggered\",\"x\":{}}", h);
    parser.parse("{\"type\":\"error\",\"error_event\":{\"code\":1008,\"error_type\":\"override_error\",\"message\":\"m\",\"reason\":\"r\",\"details\":{}}}", h);

    assertEquals(List.of(
        "metadata conv_1 ulaw_8000 pcm_16000",
        "interruption 4",
        "agent Hi",
        "correction Hi there -> Hi",
        "user Hello",
        "ping 5 48",
        "ping 6 null",
        "tool t c1 {a=[1, 2]}",
        "agent tool end_call system false",
        "ignored vad_score",
        "unknown guardrail_triggered",
        "error"), h.calls);
    assertEquals(new ErrorEvent("1008", "override_error", "m", "r"), h.error);
    assertEquals("override_error [1008]: m (r)", h.error.summary());
  }
}
