// Reads and writes the case's collection governance (tables of migration 12). Every change is
// logged in the audit chain, so the report's case history shows who declared the scope and when.
import { EMPTY_GOVERNANCE, GOVERNANCE_TEXT_FIELDS, type Governance, type GovernanceDevice, type GovernanceUpdate } from '../model/governance.ts';
import type { RowReader } from '../store/case-session.ts';
import type { CaseStore } from '../store/case-store.ts';
import { sql } from '../store/sql.ts';

export async function readGovernance(reader: RowReader): Promise<Governance> {
  const row = await reader.one(
    sql`SELECT trigger, collector, tool, tool_options, retention, handling,
          strftime(updated_at, '%Y-%m-%dT%H:%M:%SZ') AS updated_at FROM governance WHERE id = 1`,
    { trigger: 'str?', collector: 'str?', tool: 'str?', tool_options: 'str?', retention: 'str?', handling: 'str?', updated_at: 'str' },
  );
  const devices = await reader.rows(sql`SELECT host, role, zone FROM governance_devices ORDER BY host`, { host: 'str', role: 'str?', zone: 'str?' });
  const custody = await reader.rows(
    sql`SELECT seq, strftime(noted_at, '%Y-%m-%dT%H:%M:%SZ') AS at, author, note FROM custody_notes ORDER BY seq`,
    { seq: 'num', at: 'str', author: 'str?', note: 'str' },
  );
  if (!row) return { ...EMPTY_GOVERNANCE, devices, custody };
  return { ...row, devices, custody };
}

/** Applies `update` (see GovernanceUpdate) in one transaction and returns the record as stored. */
export async function writeGovernance(store: CaseStore, update: GovernanceUpdate): Promise<Governance> {
  const devices = update.devices ? normaliseDevices(update.devices) : undefined;
  await store.transaction(async () => {
    const current = await readGovernance(store);
    const next = Object.fromEntries(GOVERNANCE_TEXT_FIELDS.map((f) => [f, update[f] === undefined ? current[f] : blankToNull(update[f])])) as Record<
      (typeof GOVERNANCE_TEXT_FIELDS)[number],
      string | null
    >;
    await store.exec(sql`DELETE FROM governance WHERE id = 1`);
    await store.exec(sql`INSERT INTO governance VALUES (1, ${next.trigger}, ${next.collector}, ${next.tool}, ${next.tool_options},
                         ${next.retention}, ${next.handling}, now()::TIMESTAMP)`);
    if (devices) {
      await store.exec(sql`DELETE FROM governance_devices`);
      for (const d of devices) await store.exec(sql`INSERT INTO governance_devices VALUES (${d.host}, ${d.role}, ${d.zone})`);
    }
    const note = update.custody_note?.trim();
    if (note) {
      await store.exec(sql`INSERT INTO custody_notes SELECT coalesce(max(seq), 0) + 1, now()::TIMESTAMP, ${update.author ?? null}, ${note} FROM custody_notes`);
    }
    const changed = [...GOVERNANCE_TEXT_FIELDS.filter((f) => update[f] !== undefined), ...(devices ? ['devices'] : []), ...(note ? ['custody_note'] : [])];
    await store.audit('governance', { changed, devices: devices?.map((d) => d.host), author: update.author ?? null });
  });
  return readGovernance(store);
}

/** Trimmed, one entry per host (the last given wins), empty role/zone as null. */
function normaliseDevices(list: GovernanceDevice[]): GovernanceDevice[] {
  const byHost = new Map<string, GovernanceDevice>();
  for (const d of list) {
    const host = d.host.trim();
    if (!host) throw new GovernanceInputError('a device in scope needs a host name');
    byHost.set(host, { host, role: blankToNull(d.role), zone: blankToNull(d.zone) });
  }
  return [...byHost.values()];
}

function blankToNull(v: string | null | undefined): string | null {
  const t = v?.trim();
  return t ? t : null;
}

export class GovernanceInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GovernanceInputError';
  }
}
