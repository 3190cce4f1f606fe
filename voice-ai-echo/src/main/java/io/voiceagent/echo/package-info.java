/** The {@code echo} AI provider: plays the callee's turns back. A template for writing a provider. */
package io.voiceagent.echo;
