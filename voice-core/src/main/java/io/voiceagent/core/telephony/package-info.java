/**
 * The telephony port: placing calls, their events, and the 20 ms media handler the core attaches to an
 * answered call.
 */
package io.voiceagent.core.telephony;
