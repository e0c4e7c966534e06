// Values derived from an event's target, for the stacking panel and the filters that pick them:
// the directory a path lies in, and the remote endpoint a network target names. SQL over
// `event_rows e`, written here once so a count and the filter it leads to always agree.
import { rawSql } from '../store/sql.ts';

/**
 * The directory of a path-like target, with its trailing separator ("/etc/plc/config.ini" →
 * "/etc/plc/", "HKLM\Software\Run" → "HKLM\Software\"), so `starts_with(target, prefix)` picks
 * what lies under it; NULL for targets without a / or \ and for connections ("a->b").
 */
export const PATH_PREFIX_SQL = rawSql(
  String.raw`(CASE WHEN regexp_matches(e.target, '[/\\]') AND NOT contains(e.target, '->') THEN regexp_extract(e.target, '^(.*[/\\])', 1) END)`,
);

/**
 * The remote endpoint a target names: the far side of a connection as strace -yy writes it
 * ("TCP:[10.0.0.2:40100->10.0.0.5:502]" → "10.0.0.5:502"), or a target that is itself an
 * address with a port ("10.0.0.5:502", "[::1]:502", "plc.example.org:502") or a bare IPv4
 * address; NULL otherwise (file paths, socket:[inode], pipes). Cheap tests first: an address
 * ends in a digit and is short, so most targets never reach the regular expressions.
 */
export const ENDPOINT_SQL = rawSql(
  String.raw`(CASE
     WHEN contains(e.target, '->') THEN nullif(regexp_extract(e.target, '->\s*(\[[0-9A-Fa-f:.]+\]:[0-9]+|[^\]\s]+)', 1), '')
     WHEN NOT (right(e.target, 1) BETWEEN '0' AND '9') OR length(e.target) > 270 THEN NULL
     WHEN regexp_full_match(e.target, '(\[[0-9A-Fa-f:.]+\]|[0-9]{1,3}(\.[0-9]{1,3}){3}|localhost|[A-Za-z0-9][A-Za-z0-9-]*(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}):[0-9]{1,5}') THEN e.target
     WHEN regexp_full_match(e.target, '[0-9]{1,3}(\.[0-9]{1,3}){3}') THEN e.target
   END)`,
);
