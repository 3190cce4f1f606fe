package io.voiceagent.elevenlabs;

import io.voiceagent.core.net.Socks5SocketFactory;

import io.voiceagent.core.ai.AiEnd;
import io.voiceagent.elevenlabs.ServerMessageParser.ErrorEvent;
import java.util.List;
import java.util.Locale;

/**
 * Turns the ways a conversation ends (a close code, an HTTP refusal, a dropped socket) into an {@link AiEnd}
 * whose message tells an operator what happened and, where we know, what to change. The core writes that
 * message into the call's {@code message} field.
 */
final class EndMessages {
  static final String NO_RECONNECT = "not reconnecting: a new connection would be a new conversation"
      + " (new id, context lost, the agent greets again)";

  private EndMessages() {}

  /**
   * The server closed the socket with {@code code}.
   *
   * @param agentEndedCall the agent's {@code end_call} tool ran before the close
   * @param lastError      the last {@code error} event, which precedes an error close, or null
   * @param overrides      the overrides this conversation's initiation sent
   * @param started        the conversation metadata had arrived (audio could flow)
   */
  static AiEnd serverClosed(int code, String reason, boolean agentEndedCall, ErrorEvent lastError,
      List<String> overrides, boolean started) {
    String detail = detail(code, reason, lastError);
    if (isConcurrencyRefusal(code, reason, lastError)) return concurrency(detail);
    if (code == 1000 && !started) {
      // Nobody can have ended a conversation that never began: treat it as the refusal it is.
      return AiEnd.failed("ElevenLabs closed the conversation before it started (" + detail + ")");
    }
    switch (code) {
      case 1000:
        return AiEnd.byAgent(agentEndedCall
            ? "the agent ended the conversation (end_call)"
            : "ElevenLabs ended the conversation normally (" + detail + ")");
      case 1008:
        return AiEnd.failed("ElevenLabs refused the conversation (" + detail + "). " + policyHint(lastError, reason, overrides));
      case 1002:
        return AiEnd.failed("ElevenLabs ended the conversation after an operational failure (" + detail + "); " + NO_RECONNECT);
      case 1011:
        return AiEnd.failed("ElevenLabs had an internal error (" + detail + "); " + NO_RECONNECT);
      default:
        return AiEnd.failed("ElevenLabs closed the conversation (" + detail + "); " + NO_RECONNECT);
    }
  }

  /** The WebSocket upgrade was answered with HTTP {@code status} instead of 101. */
  static AiEnd upgradeRefused(int status, String statusText, boolean signed) {
    String http = "HTTP " + status + (statusText == null || statusText.isBlank() ? "" : " " + statusText);
    switch (status) {
      case 401:
      case 403:
        return AiEnd.failed("ElevenLabs refused the WebSocket (" + http + "): " + (signed
            ? "the signed URL was not accepted (expired or already used?)"
            : "the agent is private; set ELEVENLABS_API_KEY so a signed URL is used"));
      case 404:
        return AiEnd.failed("ElevenLabs refused the WebSocket (" + http + "): no such agent or endpoint; check "
            + ElevenLabsConfig.AGENT_ID + " and " + ElevenLabsConfig.WS_URL);
      case 429:
        return concurrency(http);
      default:
        return AiEnd.failed("ElevenLabs refused the WebSocket (" + http + ")");
    }
  }

  /** The socket failed without a close frame: never opened, or dropped. */
  static AiEnd connectionFailed(Throwable t, boolean wasOpen, String endpoint) {
    if (t instanceof Socks5SocketFactory.ProxyException) {
      return AiEnd.failed("could not reach ElevenLabs through the SOCKS5 proxy: " + t.getMessage());
    }
    if (wasOpen) {
      return AiEnd.failed("the connection to ElevenLabs dropped mid-call (" + describe(t) + "); " + NO_RECONNECT);
    }
    return AiEnd.failed("could not connect to ElevenLabs at " + endpoint + " (" + describe(t) + ")");
  }

  /** The plan's concurrency limit: say so, and what to do. */
  static AiEnd concurrency(String detail) {
    return AiEnd.failed("ElevenLabs refused the conversation: the plan's concurrency limit is reached (" + detail
        + "); lower MAX_CONCURRENT_CALLS to the plan's limit or raise the limit in ElevenLabs");
  }

  /**
   * How an over-limit refusal looks is not documented: we take HTTP 429 (elsewhere), close code 1013 (try again
   * later) and any close reason or error naming concurrency.
   */
  static boolean isConcurrencyRefusal(int code, String reason, ErrorEvent error) {
    if (code == 1013) return true;
    return mentionsConcurrency(reason) || (error != null && (mentionsConcurrency(error.errorType())
        || mentionsConcurrency(error.code()) || mentionsConcurrency(error.message()) || mentionsConcurrency(error.reason())));
  }

  static boolean mentionsConcurrency(String text) {
    if (text == null) return false;
    String t = text.toLowerCase(Locale.ROOT);
    return t.contains("concurren") || t.contains("too_many_concurrent");
  }

  /** What to change for a 1008: enable overrides, supply variables, or check the agent's security. */
  private static String policyHint(ErrorEvent error, String reason, List<String> overrides) {
    String type = error == null || error.errorType() == null ? "" : error.errorType().toLowerCase(Locale.ROOT);
    String all = (type + " " + (reason == null ? "" : reason) + " " + (error == null ? "" : error.summary()))
        .toLowerCase(Locale.ROOT);
    String sent = overrides.isEmpty() ? "none" : String.join(", ", overrides);
    if (all.contains("override")) {
      return "Enable the overrides this call sends (" + sent + ") in the agent's settings (Security → Overrides;"
          + " all are off by default), or stop sending them (ELEVENLABS_FIRST_MESSAGE, ELEVENLABS_LANGUAGE, the"
          + " call's first_message).";
    }
    if (all.contains("dynamic_variable") || all.contains("dynamic variable")) {
      return "The agent's prompt uses a {{variable}} this call did not supply: pass it in the call's dynamic_variables.";
    }
    return "Check the agent's settings: every override this call sends (" + sent + ") must be enabled under"
        + " Security → Overrides, every {{variable}} in its prompt needs a dynamic variable, and a private agent"
        + " needs ELEVENLABS_API_KEY.";
  }

  private static String detail(int code, String reason, ErrorEvent error) {
    StringBuilder b = new StringBuilder("close ").append(code);
    if (reason != null && !reason.isBlank()) b.append(" '").append(reason).append('\'');
    if (error != null) b.append("; last error: ").append(error.summary());
    return b.toString();
  }

  static String describe(Throwable t) {
    String m = t.getMessage();
    return t.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m);
  }
}
