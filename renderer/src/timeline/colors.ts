// One colour per event category, shared by the timeline, the table and the legend. Chosen to be
// distinguishable on the dark background; red is kept for failures only.
const CATEGORY_COLORS: Record<string, string> = {
  file: '#4e9af1',
  network: '#3cc7a8',
  process: '#f2b84b',
  memory: '#9a8cf0',
  registry: '#c77dd8',
  ipc: '#6fc2e8',
  credential: '#ff8f5e',
  device: '#a3c95a',
  time: '#8a9bb0',
  ics: '#ffd94a',
  signal: '#e879a6',
  system: '#7f8ea3',
  module: '#b39ddb',
  auth: '#ffab91',
  log: '#90a4ae',
  alarm: '#ff6f61',
  other: '#6b7785',
};

export const FAILURE_COLOR = '#ff3b3b';
export const ANNOTATION_COLOR = '#ffd166';
export const SELECTION_COLOR = '#ffffff';

export function categoryColor(category: string | null | undefined): string {
  return (category && CATEGORY_COLORS[category]) || CATEGORY_COLORS.other || '#6b7785';
}

export function knownCategories(): string[] {
  return Object.keys(CATEGORY_COLORS);
}

/** The finding's range band (draw.ts drawBand for highlightRange). */
export const FINDING_BAND_COLOR = 'rgb(120, 180, 255)';

/** Marks drawn over the categories, for the legend: what each colour and shape means. */
export const LEGEND_MARKS: readonly { id: string; label: string; color: string; shape: 'outline' | 'flag' | 'line' | 'band' }[] = [
  { id: 'failure', label: 'failed call (outline; red cap over density)', color: FAILURE_COLOR, shape: 'outline' },
  { id: 'annotation', label: 'annotation (flag: event, band: range)', color: ANNOTATION_COLOR, shape: 'flag' },
  { id: 'selection', label: 'selected event', color: SELECTION_COLOR, shape: 'line' },
  { id: 'finding', label: "finding's time range", color: FINDING_BAND_COLOR, shape: 'band' },
];
