// The settings dialog: what is not on a toolbar. Connection settings apply by reconnecting, which the
// page does by reloading itself (the worker's buffers are rebuilt from the server's backfill). In the desktop
// app it also holds the app's own preferences and its Redis for many hosts, which the app keeps.
import type { TailwatchBridge } from '../desktop/bridge';
import { desktopHostSettings } from '../desktop/desktop-hosts';
import { desktopPreferenceSettings } from '../desktop/desktop-preferences';
import { dialogBody, dialogHeader } from '../services/dialog-header';
import { select, setting } from '../services/form-controls';
import { DEFAULT_SETTINGS, SETTINGS_LIMITS, type Settings, type SettingsStore } from '../services/settings-store';
import { zoneName } from '../services/time-zone';

interface Choice<T extends string> {
  value: T;
  label: string;
}

const TRANSPORTS: readonly Choice<Settings['transport']>[] = [
  { value: 'auto', label: 'Automatic (SSE, then WebSocket, then long-poll)' },
  { value: 'sse', label: 'Server-Sent Events' },
  { value: 'ws', label: 'WebSocket' },
  { value: 'poll', label: 'Long-poll' },
];
const THEMES: readonly Choice<Settings['theme']>[] = [
  { value: 'system', label: 'Follow the system' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
];

/** `desktop`: the desktop app's bridge, for its preferences; null in a browser. */
export function fillSettingsDialog(dialog: HTMLDialogElement, settings: SettingsStore, reload: () => void, desktop: TailwatchBridge | null): void {
  const s = settings.value;
  const theme = choiceSelect(THEMES, s.theme, (theme) => settings.update({ theme }));
  const zones: readonly Choice<Settings['timeZone']>[] = [
    { value: 'local', label: `Local time (${zoneName('local')})` },
    { value: 'utc', label: 'UTC' },
  ];
  const timeZone = choiceSelect(zones, s.timeZone, (value) => settings.update({ timeZone: value }));
  timeZone.id = 'setting-time-zone';
  const transport = choiceSelect(TRANSPORTS, s.transport, (value) => {
    settings.update({ transport: value });
    reload();
  });
  transport.id = 'setting-transport';
  const buffer = document.createElement('input');
  buffer.type = 'number';
  buffer.className = 'field';
  buffer.min = String(SETTINGS_LIMITS.minBufferLines);
  buffer.max = String(SETTINGS_LIMITS.maxBufferLines);
  buffer.step = '1000';
  buffer.value = String(s.bufferLines);
  buffer.addEventListener('change', () => {
    const lines = Number(buffer.value);
    if (!Number.isInteger(lines) || lines < SETTINGS_LIMITS.minBufferLines || lines > SETTINGS_LIMITS.maxBufferLines) {
      buffer.classList.add('invalid');
      return;
    }
    buffer.classList.remove('invalid');
    settings.update({ bufferLines: lines });
    reload();
  });
  const reset = document.createElement('button');
  reset.type = 'button';
  reset.className = 'tool';
  reset.textContent = 'Reset all settings';
  reset.addEventListener('click', () => {
    settings.update(structuredClone(DEFAULT_SETTINGS) as Settings);
    reload();
  });

  dialog.replaceChildren(
    dialogHeader('settings-title', 'Settings', dialog),
    dialogBody(
      setting('Theme', 'Light and dark follow the OS unless you pick one.', theme),
      setting('Times', 'The clock of the log rows, their tooltips, the charts and file names.', timeZone),
      setting('Connection', 'How this page receives events. Changing it reconnects.', transport),
      setting('Log lines kept (all sources together)', `The oldest lines go first, with a marker (${SETTINGS_LIMITS.minBufferLines.toLocaleString()}–${SETTINGS_LIMITS.maxBufferLines.toLocaleString()}). Changing it reconnects.`, buffer),
      ...(desktop === null ? [] : [...desktopPreferenceSettings(desktop), ...desktopHostSettings(desktop)]),
      paragraph(desktop === null ? 'Settings are kept in this browser, for this server only.' : 'Settings are kept by this app.'),
      reset,
    ),
  );
}

/** A choice that takes effect as soon as it is made. */
function choiceSelect<T extends string>(choices: readonly Choice<T>[], current: T, onChange: (value: T) => void): HTMLSelectElement {
  const element = select(choices, current);
  element.addEventListener('change', () => onChange(element.value as T));
  return element;
}

function paragraph(text: string): HTMLElement {
  const p = document.createElement('p');
  p.className = 'hint';
  p.textContent = text;
  return p;
}
