/** Settings as the core sees them: typed, validated, secrets masked. */
package io.voiceagent.core.config;
