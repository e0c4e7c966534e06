// One CSV cell of a query result, safe to open in a spreadsheet. Text from a capture can begin
// with a formula ("=HYPERLINK(…)", "@SUM(…)", "+cmd|' /C calc'!A0"): following the OWASP CSV
// injection guidance, text that begins with = + - @ tab or CR gets a leading ' so the sheet
// shows it as text. Values of numeric columns are never changed, and neither is text that is
// exactly a number ("-1", "+3.5e2", common in syscall return values): a plain number cannot
// hold a formula, and the analyst keeps a number to sort and sum.

const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** Text that a spreadsheet would read as a formula gets a leading '. */
export function defuseFormula(text: string): string {
  return FORMULA_START.test(text) && !PLAIN_NUMBER.test(text) ? `'${text}` : text;
}

/** A value as one RFC 4180 cell: formula-safe, quoted when it holds a quote, comma or line break. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text =
    typeof value === 'string' ? defuseFormula(value) : typeof value === 'object' ? defuseFormula(JSON.stringify(value)) : String(value as number | bigint | boolean);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
