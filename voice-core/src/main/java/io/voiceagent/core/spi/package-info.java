/** Service-provider interfaces: how adapters plug in through {@link java.util.ServiceLoader}. */
package io.voiceagent.core.spi;
