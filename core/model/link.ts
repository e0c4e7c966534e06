// A link between two events of the case (core/links builds them; the contract hands them to the
// UI as is): a socket call to the call that opened its socket, a host connection to its flow on
// the wire, a flow to the ICS operations it carried, an operation to what the device recorded.

export type LinkKind = 'socket-call' | 'socket-flow' | 'flow-ics' | 'ics-device' | 'flow-device' | 'ics-alarm';

export interface Link {
  from_event: number;
  to_event: number;
  kind: LinkKind;
  /** 0..1: how sure the rule is that both events belong to one connection or operation. */
  confidence: number;
  /** The rule that matched, in words (ends, flow key, time distance). */
  rule: string;
}
