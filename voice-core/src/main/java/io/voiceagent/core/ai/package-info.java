/** The conversational AI port: sessions prepared while ringing, opened after a human answered. */
package io.voiceagent.core.ai;
