/** The launcher: settings, the REST API, the demo, graceful shutdown. */
package io.voiceagent.app;
