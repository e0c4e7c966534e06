// Dispatches key presses through the key map (keymap.ts): one window listener; components say what
// an action does with useKeyActions while they are mounted (the latest registration wins). Keys
// never fire while the analyst types in a field or while a modal dialog is open, and a key whose
// action nobody handles is left to the browser.
import { type ReactNode, createContext, useContext, useEffect, useMemo, useRef } from 'react';
import { type KeyAction, type KeyScope, actionFor, isTypingTarget } from './keymap.ts';

type Handler = () => void;
type Registry = Map<KeyAction, Handler[]>;

const KeyActionsContext = createContext<Registry | null>(null);

/** The scope of the focused element: inside an element marked data-key-scope="table" or "timeline". */
function scopeOf(target: EventTarget | null): KeyScope {
  const el = target instanceof Element ? target.closest('[data-key-scope]') : null;
  const scope = el?.getAttribute('data-key-scope');
  return scope === 'table' || scope === 'timeline' ? scope : 'global';
}

export function KeyActionsProvider({ children }: { children: ReactNode }) {
  const registry = useMemo<Registry>(() => new Map(), []);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.isComposing) return;
      if (isTypingTarget(event.target)) {
        // Escape leaves a field (outside dialogs, which close on it), so the keys work again.
        if (event.key === 'Escape' && event.target instanceof HTMLElement && !event.target.closest('[aria-modal="true"], [role="dialog"]')) event.target.blur();
        return;
      }
      if (event.target instanceof Element && event.target.closest('[aria-modal="true"], [role="menu"]')) return;
      const action = actionFor(event, scopeOf(event.target));
      const handlers = action ? registry.get(action) : undefined;
      const handler = handlers?.[handlers.length - 1];
      if (!handler) return;
      event.preventDefault();
      handler();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [registry]);
  return <KeyActionsContext.Provider value={registry}>{children}</KeyActionsContext.Provider>;
}

/** Handles these actions while the calling component is mounted. Handlers may change every render. */
export function useKeyActions(handlers: Partial<Record<KeyAction, Handler>>): void {
  const registry = useContext(KeyActionsContext);
  const latest = useRef(handlers);
  latest.current = handlers;
  const actions = Object.keys(handlers).sort().join(' ');
  useEffect(() => {
    if (!registry) return;
    const installed: Array<[KeyAction, Handler]> = [];
    for (const action of actions.split(' ').filter(Boolean) as KeyAction[]) {
      const handler: Handler = () => latest.current[action]?.();
      const list = registry.get(action) ?? [];
      list.push(handler);
      registry.set(action, list);
      installed.push([action, handler]);
    }
    return () => {
      for (const [action, handler] of installed) {
        const list = registry.get(action);
        if (list) registry.set(action, list.filter((h) => h !== handler));
      }
    };
  }, [registry, actions]);
}
