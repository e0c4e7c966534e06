// category: image_load (a DLL/shared object mapped into a process): Sysmon 7 (generic) and
// Procmon "Load Image"; dns_query: Sysmon 22 (generic) and Zeek dns records.
import { sql } from '../../../store/sql.ts';
import { col, PROCMON_FORMATS, PROCMON_IMAGE, procmonOps, src, type Binding } from './types.ts';

export const procmonImageLoad: Binding = {
  source: 'Procmon Load Image',
  formats: PROCMON_FORMATS,
  when: procmonOps(['Load Image']),
  fields: { ImageLoaded: col('e.target'), Image: PROCMON_IMAGE, ProcessId: col('e.pid'), User: src('user') },
};

/** Zeek dns.log: what was asked and answered (no process: Zeek sees the wire). */
export const zeekDns: Binding = {
  source: 'Zeek dns',
  formats: ['zeek'],
  when: sql`(contains(e.fields, '"zeek_path"') AND ${src('zeek_path')} = 'dns')`,
  fields: {
    QueryName: src('query'),
    QueryResults: src('answers'),
    QueryStatus: src('rcode_name'),
    SourceIp: src('id.orig_h'),
    DestinationIp: src('id.resp_h'),
    record_type: src('qtype_name'),
  },
  // Every other dns.log column (query, qtype_name, rcode_name, answers …) by its own name.
  generic: true,
};
