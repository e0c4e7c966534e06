// The workbench's one key map: every key binding → the action it triggers, for the table, the
// timeline and the panels. Components register what an action does (useKeyActions.tsx); this
// module only names keys and decides which binding a key press means, so it can be tested alone
// and listed in the shortcuts dialog.

export type KeyAction =
  | 'row-next'
  | 'row-prev'
  | 'row-first'
  | 'row-last'
  | 'open-detail'
  | 'focus-search'
  | 'match-next'
  | 'match-prev'
  | 'finding-next'
  | 'finding-prev'
  | 'zoom-in'
  | 'zoom-out'
  | 'zoom-fit'
  | 'annotate'
  | 'pin'
  | 'pinned-only'
  | 'cell-next'
  | 'cell-prev'
  | 'cell-menu'
  | 'cell-filter'
  | 'cell-exclude'
  | 'focus-table'
  | 'focus-timeline'
  | 'show-keys';

/** Where a binding applies: anywhere in the workbench, or only while that element has focus. */
export type KeyScope = 'global' | 'table' | 'timeline';

export interface KeyBinding {
  action: KeyAction;
  /** Key names as keyName() spells them: "j", "Shift+F10", "Ctrl+F", "ArrowDown", "?". */
  keys: readonly string[];
  scope: KeyScope;
  label: string;
}

export const KEY_BINDINGS: readonly KeyBinding[] = [
  { action: 'row-next', keys: ['j'], scope: 'global', label: 'Next row (select it)' },
  { action: 'row-prev', keys: ['k'], scope: 'global', label: 'Previous row (select it)' },
  { action: 'row-next', keys: ['ArrowDown'], scope: 'table', label: 'Next row (table focused)' },
  { action: 'row-prev', keys: ['ArrowUp'], scope: 'table', label: 'Previous row (table focused)' },
  { action: 'row-first', keys: ['Home'], scope: 'table', label: 'First row' },
  { action: 'row-last', keys: ['End'], scope: 'table', label: 'Last row' },
  { action: 'cell-next', keys: ['ArrowRight'], scope: 'table', label: 'Next cell of the row' },
  { action: 'cell-prev', keys: ['ArrowLeft'], scope: 'table', label: 'Previous cell of the row' },
  { action: 'open-detail', keys: ['Enter'], scope: 'table', label: 'Open the selected event’s detail' },
  { action: 'cell-menu', keys: ['Shift+F10', 'ContextMenu'], scope: 'table', label: 'Cell menu: filter, exclude, copy' },
  { action: 'cell-filter', keys: ['f'], scope: 'table', label: 'Filter to the current cell’s value' },
  { action: 'cell-exclude', keys: ['x'], scope: 'table', label: 'Exclude the current cell’s value' },
  { action: 'focus-search', keys: ['/', 'Ctrl+F'], scope: 'global', label: 'Search (focus the text filter)' },
  { action: 'match-next', keys: ['n'], scope: 'global', label: 'Next match of the search' },
  { action: 'match-prev', keys: ['N'], scope: 'global', label: 'Previous match of the search' },
  { action: 'finding-next', keys: [']'], scope: 'global', label: 'Next finding' },
  { action: 'finding-prev', keys: ['['], scope: 'global', label: 'Previous finding' },
  { action: 'zoom-in', keys: ['+', '='], scope: 'global', label: 'Zoom the timeline in' },
  { action: 'zoom-out', keys: ['-'], scope: 'global', label: 'Zoom the timeline out' },
  { action: 'zoom-fit', keys: ['0'], scope: 'global', label: 'Fit the whole case on the timeline' },
  { action: 'annotate', keys: ['a'], scope: 'global', label: 'Annotate the selected event' },
  { action: 'pin', keys: ['p'], scope: 'global', label: 'Pin or unpin the selected event' },
  { action: 'pinned-only', keys: ['P'], scope: 'global', label: 'Show pinned events only, or every event' },
  { action: 'focus-table', keys: ['t'], scope: 'global', label: 'Focus the events table' },
  { action: 'focus-timeline', keys: ['g'], scope: 'global', label: 'Focus the timeline' },
  { action: 'show-keys', keys: ['?'], scope: 'global', label: 'Show every key binding' },
];

export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
}

/**
 * The press as the key map spells it. Printable keys are named by the character they type, so
 * "?", "+" and "N" need no "Shift+" (it is part of the character); with Ctrl (or Cmd, the same
 * modifier here) a letter is named in capitals: "Ctrl+F", "Ctrl+Shift+F".
 */
export function keyName(press: KeyPress): string {
  const mods: string[] = [];
  if (press.ctrlKey || press.metaKey) mods.push('Ctrl');
  if (press.altKey) mods.push('Alt');
  let key = press.key;
  if (key.length === 1) {
    const isLetter = key.toLowerCase() !== key.toUpperCase();
    if (isLetter && mods.length > 0) {
      if (press.shiftKey) mods.push('Shift');
      key = key.toUpperCase();
    }
  } else if (press.shiftKey) {
    mods.push('Shift');
  }
  return [...mods, key].join('+');
}

/** True while the analyst types: keys then belong to the field, never to the key map. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!target || typeof (target as Element).closest !== 'function') return false;
  const el = target as HTMLElement;
  if (el.isContentEditable) return true;
  const tag = el.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag === 'INPUT') {
    const type = (el as HTMLInputElement).type;
    return !['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color', 'file'].includes(type);
  }
  return false;
}

/** The action a press means where it happened (`focused`: the scope whose element holds focus). */
export function actionFor(press: KeyPress, focused: KeyScope, bindings: readonly KeyBinding[] = KEY_BINDINGS): KeyAction | null {
  const name = keyName(press);
  const scoped = bindings.find((b) => b.scope === focused && focused !== 'global' && b.keys.includes(name));
  if (scoped) return scoped.action;
  return bindings.find((b) => b.scope === 'global' && b.keys.includes(name))?.action ?? null;
}

/** Keys bound twice where both bindings could apply (same scope, or one of them global). */
export function keyCollisions(bindings: readonly KeyBinding[] = KEY_BINDINGS): string[] {
  const out: string[] = [];
  bindings.forEach((a, i) => {
    for (const b of bindings.slice(i + 1)) {
      if (a.scope !== b.scope && a.scope !== 'global' && b.scope !== 'global') continue;
      for (const key of a.keys) if (b.keys.includes(key)) out.push(`${key}: ${a.action} (${a.scope}) and ${b.action} (${b.scope})`);
    }
  });
  return out;
}

/** Bindings as the shortcuts dialog lists them: one line per action and scope. */
export function describeBindings(bindings: readonly KeyBinding[] = KEY_BINDINGS): Array<{ label: string; keys: string; scope: KeyScope }> {
  return bindings.map((b) => ({ label: b.label, keys: b.keys.join(' or '), scope: b.scope }));
}
