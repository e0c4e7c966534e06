// Collection governance of a case (ATT&CK for ICS analytic AN1875: API monitoring must be scoped
// and its blind spots documented): which devices are in scope, what triggered collection, who
// collected with which tool, how the evidence is kept, and the chain-of-custody notes.

/** One device the collection was meant to cover. */
export interface GovernanceDevice {
  host: string;
  /** "HMI", "engineering workstation", "PLC"… */
  role: string | null;
  /** Purdue level or zone: "L2 supervisory", "DMZ"… */
  zone: string | null;
}

/** One chain-of-custody note: appended, never edited. */
export interface CustodyNote {
  seq: number;
  /** ISO time the note was recorded. */
  at: string;
  author: string | null;
  note: string;
}

export interface Governance {
  devices: GovernanceDevice[];
  trigger: string | null;
  collector: string | null;
  tool: string | null;
  tool_options: string | null;
  retention: string | null;
  handling: string | null;
  custody: CustodyNote[];
  /** ISO time of the last change; null while nothing was recorded. */
  updated_at: string | null;
}

/**
 * A change to the governance record. A field left out stays as it is; null clears it. `devices`,
 * when given, is the whole list in scope. `custody_note` appends one note (by `author`).
 */
export interface GovernanceUpdate {
  devices?: GovernanceDevice[];
  trigger?: string | null;
  collector?: string | null;
  tool?: string | null;
  tool_options?: string | null;
  retention?: string | null;
  handling?: string | null;
  custody_note?: string;
  author?: string | null;
}

export const GOVERNANCE_TEXT_FIELDS = ['trigger', 'collector', 'tool', 'tool_options', 'retention', 'handling'] as const;

export const EMPTY_GOVERNANCE: Governance = {
  devices: [],
  trigger: null,
  collector: null,
  tool: null,
  tool_options: null,
  retention: null,
  handling: null,
  custody: [],
  updated_at: null,
};
