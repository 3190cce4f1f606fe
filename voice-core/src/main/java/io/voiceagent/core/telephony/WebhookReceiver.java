package io.voiceagent.core.telephony;

import java.util.Map;

/** Provider callbacks (Exolve's call events) that the app routes here from its HTTP server. */
public interface WebhookReceiver {
  /** The request path it serves, e.g. {@code /webhooks/exolve/callback}. */
  String path();

  /**
   * Handles one request. Runs on the app's HTTP thread; must return quickly.
   *
   * @param headers request headers, names in lower case
   */
  Response handle(Map<String, String> headers, byte[] body);

  /**
   * Handles one request whose URL carried {@code query} parameters (a provider portal may only let a secret
   * travel in the URL). By default the query is ignored.
   */
  default Response handle(Map<String, String> headers, Map<String, String> query, byte[] body) {
    return handle(headers, body);
  }

  /** Status and JSON body to answer with. */
  record Response(int status, String jsonBody) {}
}
