// Rule field names → SQL expressions over `event_rows e` joined with the inferred process table
// `p` (process-tree.ts). A fixed allow-list: rule text never becomes SQL; `fields.<name>` reads a
// source field from the JSON column through a bound JSON path.
import { rawSql, sql, type Sql } from '../../store/sql.ts';

const COLUMNS: Record<string, { expr: string; numeric: boolean }> = {
  op: { expr: 'e.op', numeric: false },
  kind: { expr: 'e.kind', numeric: false },
  category: { expr: 'e.category', numeric: false },
  target: { expr: 'e.target', numeric: false },
  args: { expr: 'e.args', numeric: false },
  ret: { expr: 'e.ret', numeric: false },
  error: { expr: 'e.error', numeric: false },
  // The severity a log record states (migration 6): emerg … debug, alarm, fatal.
  level: { expr: 'e.level', numeric: false },
  // Importers that know the image name set `process`; otherwise the image seen in execve.
  process: { expr: 'coalesce(e.process, p.image)', numeric: false },
  host: { expr: 'e.host', numeric: false },
  pid: { expr: 'e.pid', numeric: true },
  tid: { expr: 'e.tid', numeric: true },
  ppid: { expr: 'coalesce(e.ppid, p.parent_pid)', numeric: true },
  source_line: { expr: 'e.source_line', numeric: true },
  capture_id: { expr: 'e.capture_id', numeric: true },
  // Inferred from clone/fork/execve events of the same capture (process-tree.ts).
  image: { expr: 'coalesce(p.image, e.process)', numeric: false },
  parent_image: { expr: 'p.parent_image', numeric: false },
  parent_pid: { expr: 'coalesce(e.ppid, p.parent_pid)', numeric: true },
  // Paths with their numbers folded (/proc/1234/maps → /proc/N/maps) so novelty is not per pid.
  // The source endpoint of a flow written as "src → dst" / "src -> dst" in args (network and ICS
  // importers), i.e. which connection a PDU travelled on.
  flow_src: { expr: "nullif(regexp_extract(e.args, '([0-9A-Za-z.:\\[\\]_-]+:[0-9]+)\\s*(?:→|->)', 1), '')", numeric: false },
  target_class: { expr: "CASE WHEN starts_with(e.target, '/') THEN regexp_replace(e.target, '[0-9]+', 'N', 'g') ELSE e.target END", numeric: false },
};

export const FIELD_NAMES = Object.keys(COLUMNS);

const SOURCE_FIELD = /^fields\.([A-Za-z0-9_.:@-]+)$/;

export function isKnownField(name: string): boolean {
  return name in COLUMNS || SOURCE_FIELD.test(name);
}

export function isNumericField(name: string): boolean {
  return COLUMNS[name]?.numeric ?? false;
}

/** The SQL expression for a field (text for source fields). */
export function fieldExpr(name: string): Sql {
  const col = COLUMNS[name];
  if (col) return rawSql(col.expr);
  const m = SOURCE_FIELD.exec(name);
  if (!m?.[1]) throw new Error(`unknown field ${name}`);
  return sql`json_extract_string(e.fields, ${`$."${m[1]}"`})`;
}
