// A link between two events of the case (core/links builds them; the contract hands them to the
// UI as is): a socket call to the call that opened its socket, a host connection to its flow on
// the wire, a flow to the ICS operations it carried, an operation to what the device recorded.
import type { StoredEvent } from './event.ts';

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

/** What an event is in a followed chain, in the order a chain is told. */
export const CHAIN_ROLES = ['call', 'flow', 'ics', 'device', 'alarm'] as const;
export type ChainRole = (typeof CHAIN_ROLES)[number];

/** The order of two events of different captures closer in time than their clocks are known. */
export interface OrderUncertainty {
  /** The other event's capture. */
  capture_id: number;
  /** How far apart the two captures' clocks may be (µs): their combined alignment uncertainty. */
  uncertainty_us: number;
}

export interface ChainStep {
  event: StoredEvent;
  role: ChainRole;
  /** Links walked from the followed event to reach this one (0: the event itself). */
  depth: number;
  /** Set when this step's order against the previous step cannot be told from the clocks. */
  order_uncertain: OrderUncertainty | null;
}

/** The process that made the chain's host-side calls and its ancestors, nearest first. */
export interface ChainProcess {
  proc_id: number;
  pid: number;
  image: string | null;
  /** Images of its ancestors, parent first ("/bin/bash", "sshd" …). */
  ancestry: string[];
}

/** "Follow": the chain process → call → flow → ICS operations → device records / alarms. */
export interface FollowedChain {
  event_id: number;
  process: ChainProcess | null;
  /** Ordered by role, then time. */
  steps: ChainStep[];
  /** The links between the steps (from the links table, plus alarms found by the time window). */
  links: Link[];
  /** True when the walk stopped at its depth or size bound. */
  truncated: boolean;
}

/** Clock uncertainty between two captures: events closer than this cannot be ordered. */
export interface CapturePairUncertainty {
  capture_a: number;
  capture_b: number;
  uncertainty_us: number;
}

/** One ICS function seen on a flow group, with how often. */
export interface FlowFunction {
  /** Op as events carry it ("modbus.write_single_register", "s7.job", "dnp3.operate", "cip.set_attribute_single"). */
  op: string;
  count: number;
  /** It changes the device (a write, an operate, a control service). */
  write: boolean;
}

/** Who talked to which controller: wire flows grouped by (host-side process or client host → server endpoint, protocol). */
export interface FlowSummary {
  /** Stable key of the group (for lists and tests). */
  key: string;
  /** The process the host captures show behind these connections (image or name), when linked. */
  process: string | null;
  pids: number[];
  /** The client address when no host capture shows the process. */
  client_host: string | null;
  /** The controller (or other server): "ip:port". */
  server: string;
  transport: string | null;
  /** ICS protocol of the operations ("modbus", "s7comm", "dnp3", "enip" …); null when none were decoded. */
  protocol: string | null;
  /** Wire flows (connections) in the group, and how many of them a host-side call is linked to. */
  connections: number;
  linked_connections: number;
  requests: number;
  writes: number;
  functions: FlowFunction[];
  first_us: number;
  last_us: number;
}
