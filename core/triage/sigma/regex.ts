// `|re` values: Sigma specifies a PCRE subset; DuckDB matches with RE2, which has no lookaround,
// backreferences or atomic groups. A rule using those is skipped with that reason instead of
// failing when it runs.

const RE2_UNSUPPORTED: [RegExp, string][] = [
  [/\(\?<?[=!]/, 'lookaround ((?=, (?!, (?<=, (?<!)'],
  [/\(\?>/, 'atomic groups ((?>…))'],
  [/(?<!\\)\\[1-9]/, 'backreferences (\\1…)'],
];

/** Why `pattern` cannot run in DuckDB, or null when it can. */
export function checkRegex(pattern: string): string | null {
  // Inline flag groups ((?i), (?s)…) are valid RE2 but not JavaScript: drop them to validate.
  const jsPattern = pattern.replace(/\(\?[imsU]+\)/g, '');
  try {
    new RegExp(jsPattern);
  } catch (e) {
    return (e as Error).message;
  }
  for (const [re, what] of RE2_UNSUPPORTED) if (re.test(pattern.replace(/\\\\/g, ''))) return `uses ${what}, which DuckDB's RE2 engine does not support`;
  return null;
}

/** The pattern with Sigma's |i |m |s sub-modifiers as an RE2 inline flag group. */
export function withRegexFlags(pattern: string, flags: string): string {
  const unique = [...new Set(flags.split(''))].sort().join('');
  return unique ? `(?${unique})${pattern}` : pattern;
}
