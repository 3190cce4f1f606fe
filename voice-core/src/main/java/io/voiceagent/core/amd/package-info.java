/** Answering-machine detection: the gate between {@code answered} and opening the AI. */
package io.voiceagent.core.amd;
