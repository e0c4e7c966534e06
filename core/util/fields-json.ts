// An event's `fields` column as stored (JSON text or NULL) read back as an object. Anything that
// is not a JSON object (NULL, a malformed or scalar value) reads as null: derived tables treat
// such an event as one without fields rather than failing the rebuild.
export function parseFields(text: string | null): Record<string, unknown> | null {
  if (!text) return null;
  try {
    const v: unknown = JSON.parse(text);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
