// category: webserver / proxy (and product apache, nginx, iis …): access-log records
// (core/importers/access-log-record.ts) under the W3C extended log names SigmaHQ uses.
import { sql, type Sql } from '../../../store/sql.ts';
import { col, src, type Binding } from './types.ts';

const URI = col(`concat(json_extract_string(e.fields, '$."path"'), CASE WHEN json_extract_string(e.fields, '$."query"') IS NOT NULL THEN concat('?', json_extract_string(e.fields, '$."query"')) ELSE '' END)`);

const WEB_FIELDS: Record<string, Sql> = {
  'c-ip': src('client_ip'),
  'cs-username': src('user'),
  'cs-method': src('method'),
  'cs-uri-stem': src('path'),
  'cs-uri-query': src('query'),
  'c-uri': URI,
  'c-uri-query': src('query'),
  'c-uri-stem': src('path'),
  'c-uri-extension': col(`nullif(regexp_extract(json_extract_string(e.fields, '$."path"'), '\\.([A-Za-z0-9]+)$', 1), '')`),
  'cs-uri': URI,
  'sc-status': src('status'),
  'sc-bytes': src('bytes'),
  'cs-referer': src('referer'),
  'cs-referrer': src('referer'),
  'cs-user-agent': src('user_agent'),
  'c-useragent': src('user_agent'),
  'cs-host': src('vhost'),
  'cs-version': src('protocol'),
  's-port': src('server_port'),
};

export const accessLogBinding: Binding = {
  source: 'access log',
  formats: ['access-log'],
  when: sql`(e.op LIKE 'http.%' AND ${src('log_format')} IS NOT NULL)`,
  fields: WEB_FIELDS,
  keywordText: col(`concat_ws(' ', e.target, e.args)`),
};

export const WEB_PRODUCTS = new Set(['apache', 'nginx', 'iis', 'tomcat', 'jboss', 'django', 'ruby_on_rails', 'spring', 'nodejs', 'python', 'sql', 'squid', 'zscaler']);
