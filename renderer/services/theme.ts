// Light and dark themes: follow the OS unless the user picked one. The choice is an attribute on <html>
// that base.css keys its colour variables on; charts repaint on the `tailwatch:themechange` event.
import type { ThemePreference } from './settings-store';

export const THEME_CHANGE_EVENT = 'tailwatch:themechange';
const DARK_QUERY = '(prefers-color-scheme: dark)';
const ORDER: readonly ThemePreference[] = ['system', 'light', 'dark'];
const LABELS: Record<ThemePreference, string> = { system: '◐ Auto', light: '☀ Light', dark: '☾ Dark' };

export function applyTheme(choice: ThemePreference): void {
  const root = document.documentElement;
  if (choice === 'system') delete root.dataset.themeChoice;
  else root.dataset.themeChoice = choice;
  document.dispatchEvent(new Event(THEME_CHANGE_EVENT));
}

export function nextTheme(choice: ThemePreference): ThemePreference {
  return ORDER[(ORDER.indexOf(choice) + 1) % ORDER.length]!;
}

export function themeLabel(choice: ThemePreference): string {
  return LABELS[choice];
}

/** The OS switched between light and dark: views that paint with computed colours must repaint. */
export function onSystemThemeChange(listener: () => void): void {
  matchMedia(DARK_QUERY).addEventListener('change', listener);
}
