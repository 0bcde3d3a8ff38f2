// The page's side of the log worker: starts it, and sends and receives the typed messages of
// worker-protocol.ts. Requests that expect an answer (seek, export) are promises.
import type { ExportResult, PageMessage, SeekResult, WorkerMessage } from './worker-protocol';

type Handler<T extends WorkerMessage['type']> = (message: Extract<WorkerMessage, { type: T }>) => void;
type Answer = SeekResult | ExportResult;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** Where the bundle puts the worker (scripts/build.mjs). */
const LOG_WORKER_URL = '/log-worker.js';

export class LogWorkerClient {
  private readonly worker: Worker;
  private readonly handlers = new Map<WorkerMessage['type'], Set<(message: WorkerMessage) => void>>();
  private readonly waiting = new Map<number, (answer: Answer) => void>();
  private nextRequestId = 1;

  constructor(url: string = LOG_WORKER_URL) {
    this.worker = new Worker(url, { type: 'module', name: 'tailwatch log worker' });
    this.worker.addEventListener('message', (event: MessageEvent<WorkerMessage>) => this.receive(event.data));
    this.worker.addEventListener('error', (event) => console.error(`tailwatch: log worker failed: ${event.message}`));
  }

  post(message: PageMessage): void {
    this.worker.postMessage(message);
  }

  on<T extends WorkerMessage['type']>(type: T, handler: Handler<T>): () => void {
    let set = this.handlers.get(type);
    if (!set) this.handlers.set(type, (set = new Set()));
    const wrapped = handler as (message: WorkerMessage) => void;
    set.add(wrapped);
    return () => set.delete(wrapped);
  }

  /** First row at or after `ts` in `view` (absolute index), or null. */
  seek(view: string, ts: number): Promise<number | null> {
    return this.request<SeekResult>({ type: 'seek', view, ts }).then((answer) => answer.index);
  }

  /** The row of `view` holding line `seq` of `source` (absolute index), or null when the view does not show it. */
  find(view: string, source: string, seq: number, ts: number): Promise<number | null> {
    return this.request<SeekResult>({ type: 'seek', view, ts, line: { source, seq } }).then((answer) => answer.index);
  }

  /** The text of rows [first, last] of `view`, or of all its rows. */
  exportText(view: string, range?: { first: number; last: number }): Promise<ExportResult> {
    return this.request<ExportResult>({ type: 'export', view, ...range });
  }

  terminate(): void {
    this.worker.terminate();
  }

  private request<T extends Answer>(message: DistributiveOmit<Extract<PageMessage, { requestId: number }>, 'requestId'>): Promise<T> {
    const requestId = this.nextRequestId++;
    return new Promise<T>((resolve) => {
      this.waiting.set(requestId, resolve as (answer: Answer) => void);
      this.post({ ...message, requestId } as PageMessage);
    });
  }

  private receive(message: WorkerMessage): void {
    if (message.type === 'seek-result' || message.type === 'export-result') {
      const resolve = this.waiting.get(message.requestId);
      this.waiting.delete(message.requestId);
      resolve?.(message);
    }
    for (const handler of this.handlers.get(message.type) ?? []) handler(message);
  }
}
