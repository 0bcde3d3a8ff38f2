// What the log worker does, apart from the worker global: page messages and stream events in, messages to
// the page out, view updates paced by the page's frames. worker.ts wires it to `self` and a StreamClient.
import type { Topic, WireEvent } from '../../protocol/events';
import { DiskHistory } from './disk-history';
import { linesFetcher, type FetchLines } from './disk-lines';
import { LogViews } from './log-views';
import { gapMarkerText, RESET_MARKER_TEXT } from './markers';
import { readPageMessage } from './page-message';
import { RemovedSources } from './removed-sources';
import type { ConnectMessage, PageMessage, ServerEndpoint, StreamState, TransportPreference, WorkerMessage } from '../worker-channel/worker-protocol';
import { SourceNames } from './source-names';
import { UpdatePacer, type UpdatePacerOptions } from './update-pacer';

/** What the dashboard subscribes to: `processes` feeds the process table under the charts (a sample every ~5 s). */
export const STREAM_TOPICS: readonly Topic[] = ['logs', 'metrics', 'sources', 'processes'];

export interface StreamOptions {
  server: ServerEndpoint;
  topics: readonly Topic[];
  backfill: number;
  transport: TransportPreference;
}

/** Where a stream delivers: every event in order, and every change of its state (the current one first). */
export interface StreamSink {
  event(event: WireEvent): void;
  state(state: Readonly<StreamState>): void;
}

type OpenStream = (options: StreamOptions, sink: StreamSink) => { stop(): void };

export class WorkerSession {
  private readonly pacer: UpdatePacer;
  private readonly views = new LogViews(() => this.pacer.changed());
  private readonly names = new SourceNames();
  private readonly history: DiskHistory;
  private removed = new RemovedSources();
  private stream: { stop(): void } | null = null;
  /** The current stream's sink: a stopped stream's late callbacks (a probe in flight) are told apart by it. */
  private sink: StreamSink | null = null;
  private state: Readonly<StreamState> | null = null;
  private lagMs: number | null = null;

  /** `pacing`: how updates are paced (see UpdatePacer), checked here. */
  constructor(
    private readonly post: (message: WorkerMessage) => void,
    private readonly openStream: OpenStream,
    private readonly now: () => number = Date.now,
    pacing: UpdatePacerOptions = {},
    /** How lines are read from disk for `server` (GET /api/lines; a test gives its own). */
    private readonly fetchLines: (server: ServerEndpoint) => FetchLines = linesFetcher,
  ) {
    this.pacer = new UpdatePacer(() => this.sendUpdate(), pacing);
    this.history = new DiskHistory(this.views, () => this.pacer.changed(), (id) => this.names.nameOf(id));
  }

  /** A message from the page, as received: a malformed one is reported on the console and ignored. */
  handle(data: unknown): void {
    const message = readPageMessage(data);
    if (typeof message === 'string') {
      console.warn(`tailwatch log worker: ignored a ${message}`);
      return;
    }
    try {
      this.dispatch(message);
    } catch (error) {
      console.warn(`tailwatch log worker: the ${message.type} message failed:`, error);
    }
  }

  private dispatch(message: PageMessage): void {
    switch (message.type) {
      case 'connect':
        this.connect(message);
        break;
      case 'views':
        this.views.setViews(message.views);
        break;
      case 'filter':
        this.views.setFilter(message.filter, message.highlights);
        break;
      case 'window':
        if (!this.views.setWindow(message.view, message.follow, message.first, message.count)) this.unknownView(message);
        break;
      case 'older':
        if (this.views.view(message.view) === undefined) this.unknownView(message);
        else this.history.older(message.view);
        break;
      case 'clear':
        if (!this.views.clear(message.view)) this.unknownView(message);
        break;
      case 'fold':
        if (!this.views.fold(message.view, message.generation, message.index, message.open)) this.unknownView(message);
        break;
      case 'frame':
        this.pacer.frame();
        return;
      case 'seek': {
        const index = message.line === undefined ? this.views.seek(message.view, message.ts) : this.views.find(message.view, message.line.source, message.line.seq);
        if (index === undefined) this.unknownView(message);
        this.post({ type: 'seek-result', requestId: message.requestId, view: message.view, index: index ?? null });
        return;
      }
      case 'export': {
        const exported = this.views.exportText(message.view, message.first, message.last, (id) => this.names.nameOf(id), (id) => this.names.hostOf(id));
        if (exported === undefined) this.unknownView(message);
        this.post({ type: 'export-result', requestId: message.requestId, text: exported?.text ?? '', lines: exported?.lines ?? 0 });
        return;
      }
    }
    this.pacer.changed();
  }

  private unknownView(message: { type: string; view: string }): void {
    console.warn(`tailwatch log worker: ${message.type} for an unknown view "${message.view}"`);
  }

  /** Starts the stream (again: a second connect stops the first and starts the views over). */
  private connect(message: ConnectMessage): void {
    this.stream?.stop();
    this.views.restart(message.bufferLines);
    this.history.restart(this.fetchLines(message.server));
    this.removed = new RemovedSources();
    this.state = null;
    this.lagMs = null;
    const sink: StreamSink = {
      event: (event) => {
        if (sink === this.sink) this.receive(event);
      },
      state: (state) => {
        if (sink === this.sink) this.stateChanged(state);
      },
    };
    this.sink = sink;
    this.stream = this.openStream({ server: message.server, topics: STREAM_TOPICS, backfill: message.backfill, transport: message.transport }, sink);
  }

  private stateChanged(state: Readonly<StreamState>): void {
    this.state = state;
    this.postStream();
  }

  private receive(event: WireEvent): void {
    try {
      if (event.type === 'log') {
        this.views.ingest(event.source, event.lines);
        this.history.received(event.source, event.lines);
        if (this.removed.size > 0) this.removed.linesArrived(event.source);
        this.pacer.changed();
        return;
      }
      // Transport-level answers: the stream client consumes them.
      if (event.type === 'pong' || event.type === 'error') return;
      switch (event.type) {
        case 'hello':
          for (const source of event.sources) this.names.set(source.id, source.name, source.host);
          this.removed.hello(event.sources, (id) => this.views.holds(id), this.now());
          // Measured against this connection's clock offset from now on.
          this.lagMs = null;
          break;
        case 'source':
          this.names.set(event.source.id, event.source.name, event.source.host);
          this.removed.sourceEvent(event);
          break;
        case 'metrics':
          this.lagMs = this.lagOf(event.ts);
          break;
        case 'gap': {
          const name = event.source === undefined ? null : this.names.nameOf(event.source);
          const placed = this.views.gap(event.source, gapMarkerText(event, name), this.serverNow());
          if (event.source !== undefined) this.history.gapped(event.source, event.missed, placed);
          this.pacer.changed();
          break;
        }
        case 'reset':
          this.views.reset(RESET_MARKER_TEXT, this.serverNow());
          this.history.restart();
          this.pacer.changed();
          break;
        case 'processes':
          break;
      }
      this.post({ type: 'server-event', event });
      // After the event that made them removed (or cleared the views), and at least once a second (metrics).
      this.releaseRemoved();
      // A new lag, or none yet after `hello`. Metrics come once a second, which also keeps the page's
      // "last event N s ago" fresh: lastEventAt moves without a state change.
      if (event.type === 'metrics' || event.type === 'hello') this.postStream();
    } catch (error) {
      console.warn(`tailwatch log worker: the ${event.type} event failed:`, error);
    }
  }

  /**
   * How much later than at `hello` samples now arrive: their age on arrival, less the clock offset taken at
   * `hello` (skew plus latency then). Not below 0: a sample is taken a little before it is sent.
   */
  private lagOf(sampleTs: number): number | null {
    const offset = this.state?.clockOffsetMs ?? null;
    return offset === null ? null : Math.max(0, Math.round(this.now() - sampleTs - offset));
  }

  /** Our best guess of the server's clock, for markers in an empty view. */
  private serverNow(): number {
    return this.now() - (this.state?.clockOffsetMs ?? 0);
  }

  /** Tells the page which removed sources no view holds a line of any more. */
  private releaseRemoved(): void {
    if (this.removed.size === 0) return;
    const sources = this.removed.release((id) => this.views.holds(id), this.now());
    if (sources.length > 0) this.post({ type: 'sources-released', sources });
  }

  private postStream(): void {
    if (this.state !== null) this.post({ type: 'stream', state: { ...this.state }, lagMs: this.lagMs });
  }

  private sendUpdate(): boolean {
    try {
      const views = this.views.takeUpdates();
      if (views.length === 0) return false;
      this.post({ type: 'update', views });
      // Lines that came may have pushed the last ones of a removed source out of the buffers.
      this.releaseRemoved();
      return true;
    } catch (error) {
      console.warn('tailwatch log worker: building the update failed:', error);
      return false;
    }
  }
}
