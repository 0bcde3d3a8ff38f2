// Which panes the log shows: one pane with every source merged by time, or side by side one pane per source,
// as many as the panel's width keeps readable (up to the pane limit): the sources the user picked (in the
// sources menu or a pane's picker), else the busiest shown sources, the panes shown already keeping their place.
import type { SourceInfo } from '../../protocol/events';
import type { SourceDirectory } from '../services/source-directory';
import type { ViewSpec } from '../worker-channel/worker-protocol';
import { LOG_PANEL_LIMITS } from './panel-limits';

const MERGED_VIEW = 'merged';

/** What the choice reads of the settings (a Settings; this narrow type keeps the module free of the DOM's). */
export interface PaneSettings {
  logLayout: string;
  paneSources: readonly string[];
  filter: { hiddenSources: readonly string[] };
}

/** Panes side by side that `widthPx` of panel keeps readable (each at least minPaneWidthPx); all when unknown (0). */
export function panesThatFit(widthPx: number): number {
  if (!(widthPx > 0)) return LOG_PANEL_LIMITS.maxPanes;
  return Math.min(LOG_PANEL_LIMITS.maxPanes, Math.max(1, Math.floor(widthPx / LOG_PANEL_LIMITS.minPaneWidthPx)));
}

/** Busiest first: lines per second now, then lines read, then name. */
export function byActivity(a: SourceInfo, b: SourceInfo): number {
  return b.linesPerSec - a.linesPerSec || b.lines - a.lines || a.name.localeCompare(b.name);
}

/**
 * The sources that get a pane of their own in per-source layout, at most `panes`. Without the user's pick,
 * the panes of `current` (shown now) stay while their source is shown, the others go to the busiest sources:
 * rates change every second, panes must not.
 */
export function paneSourceIds(settings: Readonly<PaneSettings>, sources: SourceDirectory, current: readonly string[] = [], panes: number = LOG_PANEL_LIMITS.maxPanes): string[] {
  if (settings.paneSources.length > 0) return settings.paneSources.slice(0, panes);
  const shown = sources.list().filter((source) => source.state !== 'removed' && !settings.filter.hiddenSources.includes(source.id));
  const kept = current.filter((id) => shown.some((source) => source.id === id)).slice(0, panes);
  const busiest = shown
    .filter((source) => !kept.includes(source.id))
    .sort(byActivity)
    .map((source) => source.id);
  return [...kept, ...busiest].slice(0, panes);
}

/** The sources a pane picker offers: every source still followed, by name. */
export function pickableSources(sources: SourceDirectory): SourceInfo[] {
  return sources.list().filter((source) => source.state !== 'removed');
}

/**
 * The pane showing `from` shows `to` instead; a pane that showed `to` shows `from` (the two swap). The result
 * is the user's pick, remembered in settings (paneSources).
 */
export function pickedPanes(current: readonly string[], from: string, to: string): string[] {
  return current.map((id) => (id === from ? to : id === to ? from : id));
}

/** The views to ask the worker for; per-source layout with no source yet is one merged pane (its empty state). */
export function paneSpecs(settings: Readonly<PaneSettings>, sources: SourceDirectory, current: readonly string[] = [], panes?: number): ViewSpec[] {
  if (settings.logLayout === 'per-source') {
    const ids = paneSourceIds(settings, sources, current, panes);
    if (ids.length > 0) return ids.map((id) => ({ id: `source:${id}`, sources: [id] }));
  }
  return [{ id: MERGED_VIEW, sources: null }];
}

/** The source of a per-source pane's view id, or null (the merged view). */
export function paneSourceOf(viewId: string): string | null {
  return viewId.startsWith('source:') ? viewId.slice('source:'.length) : null;
}
