// Which host a source without a host name belongs to. One rule for every view (process tree,
// report scope): when the case names exactly one host, a host-less source is that host's (a
// strace capture taken on the one machine whose syslog is also in the case); otherwise it stays
// unattributed, because guessing between several hosts would be worse than saying "unknown".

/** Returns a function mapping a host (or null/'') to the attributed host, '' when unknown. */
export function hostResolver(hosts: Iterable<string | null>): (host: string | null) => string {
  const named = [...new Set([...hosts].filter((h): h is string => h !== null && h !== ''))];
  return (host) => (host !== null && host !== '' ? host : named.length === 1 ? (named[0] as string) : '');
}
