/** Network helpers shared by adapters, JDK only: a SOCKS5 socket factory with RFC 1929 login. */
package io.voiceagent.core.net;
