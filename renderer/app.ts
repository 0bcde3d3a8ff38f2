// The dashboard's entry point: one stream client feeding the header badge, the source list and the
// live log, all redrawn together once per animation frame.
import type { GapData, Topic } from '../protocol/events';
import { FrameScheduler } from './frame-scheduler';
import { LogView } from './log-view';
import { readTransportPreference } from './settings';
import { SourceList } from './source-list';
import { StatusBadge } from './status-badge';
import { StreamClient } from './stream-client';

/** What this page shows; metrics join when the charts do. */
const TOPICS: readonly Topic[] = ['logs', 'sources'];
/** History per source on first load: enough to fill the log view once. */
const BACKFILL_LINES = 1_000;
/** How often "last event N s ago" is refreshed. */
const STATUS_REFRESH_MS = 1_000;

function element<T extends HTMLElement>(id: string, type: new () => T): T {
  const found = document.getElementById(id);
  if (!(found instanceof type)) throw new Error(`tailwatch: index.html lacks the #${id} element`);
  return found;
}

function gapText(gap: GapData, sourceName: string | null): string {
  const why = gap.reason === 'slow-client' ? 'this view fell behind' : 'disconnected too long to resume';
  const what = sourceName === null ? `${gap.missed.toLocaleString()} events` : `${gap.missed.toLocaleString()} lines of ${sourceName}`;
  return `${what} not received (${why})`;
}

function main(): void {
  const status = new StatusBadge(element('status', HTMLElement), element('status-text', HTMLElement));
  const sources = new SourceList(element('source-list', HTMLElement), element('empty-state', HTMLElement));
  const log = new LogView(element('log-view', HTMLElement), element('follow', HTMLButtonElement));
  const client = new StreamClient({ topics: TOPICS, backfill: BACKFILL_LINES, transport: readTransportPreference() });

  const frame = new FrameScheduler(() => {
    status.render(client.snapshot);
    sources.render();
    log.render();
  });

  client.onEvent((event) => {
    switch (event.type) {
      case 'hello':
        sources.replaceAll(event.sources);
        break;
      case 'source':
        if (event.op === 'remove') sources.remove(event.source.id);
        else sources.upsert(event.source);
        break;
      case 'log': {
        log.appendLines(sources.nameOf(event.source), event.lines);
        sources.noteLines(event.source, event.lines[event.lines.length - 1]!.seq);
        break;
      }
      case 'gap':
        log.appendMarker('gap', gapText(event, event.source === undefined ? null : sources.nameOf(event.source)));
        break;
      case 'reset':
        // Sources stay: every connection's `hello` (before or after this) replaces them with the new run's.
        log.clear();
        log.appendMarker('reset', 'server restarted: earlier lines were cleared');
        break;
    }
    frame.request();
  });
  client.onState(() => frame.request());
  setInterval(() => status.render(client.snapshot), STATUS_REFRESH_MS);

  client.start();
  frame.request();
}

main();
