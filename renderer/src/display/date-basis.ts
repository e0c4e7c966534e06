// A capture's date_basis in words for the captures list and the import dialog. The format is
// core/model/date-basis.ts's ("2026-11-26 (file modification date)", "start 2019-07-01T10:00:00Z
// (file modification time)", "; "-joined when both); the renderer reads it here because it sees
// core only through core/api.ts.

/** "date: … — assumed" or "start of relative times: … — assumed" (no "assumed" when the analyst gave it). */
export function dateBasisLabel(value: string): string {
  return value
    .split('; ')
    .filter((part) => part.length > 0)
    .map((part) => {
      const isStart = part.startsWith('start ');
      const text = isStart ? part.slice(6) : part;
      const assumed = !part.endsWith('(user)');
      return `${isStart ? 'start of relative times' : 'date'}: ${text}${assumed ? ' — assumed; correct it with align' : ''}`;
    })
    .join('; ');
}
