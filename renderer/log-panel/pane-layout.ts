// Which panes the log shows: one pane with every source merged by time, or side by side one pane per source
// (the sources the user picked, else every shown source), up to the pane limit.
import type { Settings } from '../services/settings-store';
import type { SourceDirectory } from '../services/source-directory';
import type { ViewSpec } from '../worker-channel/worker-protocol';
import { LOG_PANEL_LIMITS } from './panel-limits';

const MERGED_VIEW = 'merged';

/** The sources that get a pane of their own in per-source layout. */
export function paneSourceIds(settings: Readonly<Settings>, sources: SourceDirectory): string[] {
  const picked =
    settings.paneSources.length > 0
      ? settings.paneSources
      : sources
          .list()
          .filter((source) => source.state !== 'removed' && !settings.filter.hiddenSources.includes(source.id))
          .map((source) => source.id);
  return picked.slice(0, LOG_PANEL_LIMITS.maxPanes);
}

/** The views to ask the worker for; per-source layout with no source yet is one merged pane (its empty state). */
export function paneSpecs(settings: Readonly<Settings>, sources: SourceDirectory): ViewSpec[] {
  if (settings.logLayout === 'per-source') {
    const ids = paneSourceIds(settings, sources);
    if (ids.length > 0) return ids.map((id) => ({ id: `source:${id}`, sources: [id] }));
  }
  return [{ id: MERGED_VIEW, sources: null }];
}
