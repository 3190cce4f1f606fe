/**
 * The offline sandbox: an AI provider that speaks recorded clips and answers turns, and a callee on
 * loopback that picks up like a person. Chosen when nothing else is configured.
 */
package io.voiceagent.app.sandbox;
