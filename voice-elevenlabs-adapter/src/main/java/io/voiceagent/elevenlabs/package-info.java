/**
 * The ElevenLabs Agents (Conversational AI) adapter: {@link io.voiceagent.elevenlabs.ElevenLabsProvider} is
 * the only public type. One {@code ElevenLabsPort} per process holds the OkHttp client (its dispatcher sized to
 * the call cap, optionally through a SOCKS5 proxy), a timer thread and the open sessions; each call gets an
 * {@code ElevenLabsSession} that fetches a signed URL while the phone rings and speaks the WebSocket protocol
 * once the callee answered. The protocol as implemented is described in {@code docs/elevenlabs.md}.
 */
package io.voiceagent.elevenlabs;
