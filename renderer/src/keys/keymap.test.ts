import { describe, expect, it } from 'vitest';
import { KEY_BINDINGS, type KeyBinding, type KeyPress, actionFor, describeBindings, isTypingTarget, keyCollisions, keyName } from './keymap.ts';

const press = (key: string, mods: Partial<KeyPress> = {}): KeyPress => ({ key, ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, ...mods });

/** Just enough of an element for isTypingTarget (vitest runs without a DOM here). */
function element(tagName: string, extra: Record<string, unknown> = {}): EventTarget {
  return { tagName, isContentEditable: false, closest: () => null, ...extra } as unknown as EventTarget;
}

describe('key map', () => {
  it('binds no key twice where both bindings could fire', () => {
    expect(keyCollisions()).toEqual([]);
  });

  it('finds collisions when there are some (the check is not vacuous)', () => {
    const bindings: KeyBinding[] = [
      { action: 'pin', keys: ['p'], scope: 'global', label: '' },
      { action: 'annotate', keys: ['p'], scope: 'table', label: '' },
      { action: 'zoom-in', keys: ['z'], scope: 'table', label: '' },
      { action: 'zoom-out', keys: ['z'], scope: 'timeline', label: '' },
    ];
    expect(keyCollisions(bindings)).toHaveLength(1);
  });

  it('names presses as the bindings spell them', () => {
    expect(keyName(press('j'))).toBe('j');
    expect(keyName(press('N', { shiftKey: true }))).toBe('N');
    expect(keyName(press('?', { shiftKey: true }))).toBe('?');
    expect(keyName(press('+', { shiftKey: true }))).toBe('+');
    expect(keyName(press('f', { ctrlKey: true }))).toBe('Ctrl+F');
    expect(keyName(press('f', { metaKey: true }))).toBe('Ctrl+F');
    expect(keyName(press('F10', { shiftKey: true }))).toBe('Shift+F10');
    expect(keyName(press('ArrowDown'))).toBe('ArrowDown');
  });

  it('maps keys to actions, scoped keys only where their element has focus', () => {
    expect(actionFor(press('j'), 'global')).toBe('row-next');
    expect(actionFor(press('k'), 'timeline')).toBe('row-prev');
    expect(actionFor(press('ArrowDown'), 'table')).toBe('row-next');
    expect(actionFor(press('ArrowDown'), 'global')).toBeNull();
    expect(actionFor(press('Enter'), 'table')).toBe('open-detail');
    expect(actionFor(press('Enter'), 'global')).toBeNull();
    expect(actionFor(press('f', { ctrlKey: true }), 'global')).toBe('focus-search');
    expect(actionFor(press('/'), 'table')).toBe('focus-search');
    expect(actionFor(press('n'), 'global')).toBe('match-next');
    expect(actionFor(press('N', { shiftKey: true }), 'global')).toBe('match-prev');
    expect(actionFor(press(']'), 'global')).toBe('finding-next');
    expect(actionFor(press('['), 'global')).toBe('finding-prev');
    expect(actionFor(press('+', { shiftKey: true }), 'timeline')).toBe('zoom-in');
    expect(actionFor(press('-'), 'global')).toBe('zoom-out');
    expect(actionFor(press('0'), 'global')).toBe('zoom-fit');
    expect(actionFor(press('a'), 'global')).toBe('annotate');
    expect(actionFor(press('p'), 'table')).toBe('pin');
    expect(actionFor(press('P', { shiftKey: true }), 'global')).toBe('pinned-only');
    expect(actionFor(press('?', { shiftKey: true }), 'global')).toBe('show-keys');
    expect(actionFor(press('F10', { shiftKey: true }), 'table')).toBe('cell-menu');
    expect(actionFor(press('x'), 'table')).toBe('cell-exclude');
    expect(actionFor(press('x'), 'global')).toBeNull();
    // A modifier makes it another key: Ctrl+P is the browser's print, not pin.
    expect(actionFor(press('p', { ctrlKey: true }), 'global')).toBeNull();
  });

  it('suppresses keys while the analyst types in a field', () => {
    expect(isTypingTarget(element('INPUT', { type: 'text' }))).toBe(true);
    expect(isTypingTarget(element('INPUT', { type: 'search' }))).toBe(true);
    expect(isTypingTarget(element('TEXTAREA'))).toBe(true);
    expect(isTypingTarget(element('SELECT'))).toBe(true);
    expect(isTypingTarget(element('DIV', { isContentEditable: true }))).toBe(true);
    expect(isTypingTarget(element('INPUT', { type: 'checkbox' }))).toBe(false);
    expect(isTypingTarget(element('DIV'))).toBe(false);
    expect(isTypingTarget(element('BUTTON'))).toBe(false);
    expect(isTypingTarget(null)).toBe(false);
  });

  it('lists every binding for the shortcuts dialog', () => {
    const listed = describeBindings();
    expect(listed).toHaveLength(KEY_BINDINGS.length);
    expect(listed.find((b) => b.keys.includes('Ctrl+F'))?.keys).toBe('/ or Ctrl+F');
  });
});
