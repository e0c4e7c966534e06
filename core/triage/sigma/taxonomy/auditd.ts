// logsource {product: linux, service: auditd}: each audit record of an event is addressable on its
// own (the importer keeps them in fields.audit_records, core/importers/auditd-event.ts), and the
// fields of one Sigma selection must hold within ONE record — `type: EXECVE` with `a0: wget` reads
// argv[0] of the EXECVE record, never the SYSCALL record's a0 pointer.
import { sql, type Sql } from '../../../store/sql.ts';
import { col, type Binding } from './types.ts';

/** The event's records as a list of JSON objects ({"type": "EXECVE", "a0": "wget", …}). */
const RECORDS = col(`json_extract(CAST(json_extract_string(e.fields, '$."audit_records"') AS JSON), '$[*]')`);

/** A field of the record being tested (only valid inside recordScoped). */
export function recordField(name: string): Sql {
  return sql`json_extract_string(r.rec, ${`$."${name.replace(/"/g, '')}"`})`;
}

/** True when some record of the event satisfies `predicate` (written over recordField). */
export function recordScoped(predicate: Sql): Sql {
  return sql`EXISTS (SELECT 1 FROM (SELECT unnest(${RECORDS}) AS rec) r WHERE ${predicate})`;
}

export const auditdBinding: Binding = {
  source: 'auditd records',
  formats: ['auditd'],
  when: col(`(contains(e.fields, '"audit_records"') AND json_extract_string(e.fields, '$."audit_records"') IS NOT NULL)`),
  fields: {},
  perRecord: true,
  keywordText: col(`concat_ws(' ', e.op, e.target, e.args, json_extract_string(e.fields, '$."audit_records"'))`),
};
