// How often an agent publishes a source's `update`: at most every `everyMs` unless its state changed; the
// newest one that had to wait goes when its time comes. At one a second, a hundred busy files would fill the
// logs stream's MAXLEN with updates in minutes, while rates per source are in every metrics sample anyway.
import type { SourceInfo } from '../../../protocol/events';

interface Paced {
  /** When its last update went, and the state it said. */
  at: number;
  state: string;
  /** The newest update that had to wait. */
  waiting: SourceInfo | null;
}

export class UpdatePacer {
  private readonly sources = new Map<string, Paced>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly everyMs: number,
    /** Called with each waiting update once its time has come. */
    private readonly send: (source: SourceInfo) => void,
  ) {}

  /** Whether this update goes now (it is then noted as sent); else it waits, replacing one waiting. */
  due(source: SourceInfo): boolean {
    const last = this.sources.get(source.id);
    if (last && last.state === stateOf(source) && Date.now() - last.at < this.everyMs) {
      last.waiting = source;
      this.timer ??= setTimeout(() => this.sendDue(), this.everyMs).unref();
      return false;
    }
    this.sent(source);
    return true;
  }

  /** The source's state was just published (its `add`, or an update that went). */
  sent(source: SourceInfo): void {
    this.sources.set(source.id, { at: Date.now(), state: stateOf(source), waiting: null });
  }

  /** A removed source: nothing of it waits any more. */
  forget(id: string): void {
    this.sources.delete(id);
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private sendDue(): void {
    this.timer = null;
    for (const paced of this.sources.values()) {
      const waiting = paced.waiting;
      if (!waiting) continue;
      if (Date.now() - paced.at < this.everyMs) {
        this.timer ??= setTimeout(() => this.sendDue(), this.everyMs).unref();
        continue;
      }
      this.sent(waiting);
      this.send(waiting);
    }
  }
}

function stateOf(source: SourceInfo): string {
  return `${source.state}:${source.error ?? ''}`;
}
