// Light or dark: the analyst's choice, kept in this browser profile. The stylesheet's colours are
// CSS variables; `data-theme="light"` on the root swaps them (styles.css).
export type Theme = 'light' | 'dark';

const KEY = 'tracebench.theme';

export function savedTheme(): Theme {
  try {
    return localStorage.getItem(KEY) === 'light' ? 'light' : 'dark';
  } catch {
    return 'dark';
  }
}

export function applyTheme(theme: Theme): void {
  document.documentElement.dataset['theme'] = theme;
  try {
    localStorage.setItem(KEY, theme);
  } catch {
    // Storage refused (private mode): the theme still applies for this page.
  }
}

export function toggledTheme(theme: Theme): Theme {
  return theme === 'dark' ? 'light' : 'dark';
}
