/**
 * Whether new orders may go to the broker now. Pure. Submissions wait (the order stays PENDING and
 * the recovery pass sends it later under the same client order id) while the broker's circuit is open
 * or its trade-updates stream is not listening: an order placed then could fill unseen.
 */
export type GateState = { readonly open: true } | { readonly open: false; readonly reason: 'BROKER_CIRCUIT_OPEN' | 'ORDER_STREAM_DOWN' };

export function checkSubmissionGate(brokerHealthy: boolean, streamConnected: boolean): GateState {
  if (!brokerHealthy) return { open: false, reason: 'BROKER_CIRCUIT_OPEN' };
  if (!streamConnected) return { open: false, reason: 'ORDER_STREAM_DOWN' };
  return { open: true };
}
