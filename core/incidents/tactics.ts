// ATT&CK technique → tactic, for the techniques the shipped rules carry (Enterprise and ICS),
// and the tactics in kill-chain order so an incident reads from entry to impact. A technique
// listed under several tactics by MITRE is given its primary one here (the first MITRE lists
// for it in the matrix the rules use it for): an incident's tactic line should read as a story,
// not repeat "Persistence, Privilege Escalation, Defense Evasion" for every preload.

/** Kill-chain order of the Enterprise and ICS tactics merged (ICS-only ones where they fall). */
export const TACTIC_ORDER = [
  'Reconnaissance',
  'Resource Development',
  'Initial Access',
  'Execution',
  'Persistence',
  'Privilege Escalation',
  'Defense Evasion',
  'Evasion',
  'Credential Access',
  'Discovery',
  'Lateral Movement',
  'Collection',
  'Command and Control',
  'Exfiltration',
  'Inhibit Response Function',
  'Impair Process Control',
  'Impact',
] as const;
export type Tactic = (typeof TACTIC_ORDER)[number];

/** Technique (without sub-technique) → primary tactic. */
const TECHNIQUE_TACTIC: Record<string, Tactic> = {
  // Enterprise
  T1003: 'Credential Access',
  T1014: 'Defense Evasion',
  T1016: 'Discovery',
  T1027: 'Defense Evasion',
  T1033: 'Discovery',
  T1036: 'Defense Evasion',
  T1037: 'Persistence',
  T1049: 'Discovery',
  T1053: 'Execution',
  T1055: 'Defense Evasion',
  T1056: 'Collection',
  T1057: 'Discovery',
  T1059: 'Execution',
  T1070: 'Defense Evasion',
  T1071: 'Command and Control',
  T1082: 'Discovery',
  T1083: 'Discovery',
  T1095: 'Command and Control',
  T1098: 'Persistence',
  T1105: 'Command and Control',
  T1129: 'Execution',
  T1190: 'Initial Access',
  T1204: 'Execution',
  T1218: 'Defense Evasion',
  T1222: 'Defense Evasion',
  T1543: 'Persistence',
  T1546: 'Persistence',
  T1547: 'Persistence',
  T1552: 'Credential Access',
  T1555: 'Credential Access',
  T1564: 'Defense Evasion',
  T1565: 'Impact',
  T1574: 'Persistence',
  T1620: 'Defense Evasion',
  // ICS
  T0807: 'Execution',
  T0816: 'Inhibit Response Function',
  T0831: 'Impact',
  T0836: 'Impair Process Control',
  T0838: 'Inhibit Response Function',
  T0840: 'Discovery',
  T0843: 'Lateral Movement',
  T0851: 'Evasion',
  T0855: 'Impair Process Control',
  T0858: 'Execution',
  T0866: 'Initial Access',
  T0867: 'Lateral Movement',
  T0869: 'Command and Control',
  T0871: 'Execution',
  T0872: 'Evasion',
  T0881: 'Inhibit Response Function',
  T0886: 'Initial Access',
};

/** The tactic of a technique id (T1574.006 → Persistence); null when unknown. */
export function tacticOf(technique: string): Tactic | null {
  const base = technique.trim().toUpperCase().split('.')[0] ?? '';
  return TECHNIQUE_TACTIC[base] ?? null;
}

/** The distinct tactics of these techniques, in kill-chain order. */
export function tacticsInOrder(techniques: Iterable<string>): Tactic[] {
  const seen = new Set<Tactic>();
  for (const t of techniques) {
    const tactic = tacticOf(t);
    if (tactic) seen.add(tactic);
  }
  return TACTIC_ORDER.filter((t) => seen.has(t));
}
