// logsource {product: zeek, service: conn|dns|http|…}: Zeek records of that log (fields.zeek_path),
// every Zeek column (id.orig_h, query, uri …) readable by its own name.
import { sql } from '../../../store/sql.ts';
import { src, type Binding } from './types.ts';

export function zeekBinding(service: string | undefined): Binding {
  return {
    source: `Zeek ${service ?? 'logs'}`,
    formats: ['zeek'],
    when: service === undefined ? sql`(contains(e.fields, '"zeek_path"') AND ${src('zeek_path')} IS NOT NULL)` : sql`(contains(e.fields, '"zeek_path"') AND ${src('zeek_path')} = ${service})`,
    fields: {},
    generic: true,
  };
}
