package io.voiceagent.sip;

import javax.sip.ResponseEvent;

/**
 * What to do with the responses of one client transaction; carried as the transaction's application data.
 * Both methods run on the user agent's {@code sip-control} thread.
 */
interface TxHandler {
  TxHandler IGNORE = new TxHandler() {
    @Override public void response(ResponseEvent event) {}

    @Override public void timeout() {}
  };

  void response(ResponseEvent event);

  /** No final response arrived in time (Timer B or F, 64·T1). */
  void timeout();
}
