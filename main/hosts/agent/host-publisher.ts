// Publishes one host's lines, source changes and samples to its Redis streams (protocol/host-streams.ts), each
// line once, in order, whatever Redis does.
//
// - Lines and source changes wait in one queue, in the order they happened, and leave it in rounds: one round
//   is one MULTI/EXEC holding its `log` entries (at most 1,000 lines or 64 KiB of text each), its `source`
//   entries, and the HSET of each source's position after the last of its lines in it. Either all of a round
//   lands or none of it, so a crash (of the agent or of Redis) between entries and positions cannot happen.
// - A round whose outcome is unknown (the connection broke while EXEC was on its way) is settled before any
//   other: the position it wrote tells whether it landed (its seq is stored) or not (the earlier one is).
// - Redis away: the queue holds at most `heldBytes` of lines. Past that, a source's next lines are not held:
//   the queue holds a mark instead (seq and file place of each batch's end, at most marksKept per source), and
//   when their turn comes they are read back from the files (LogSources.lines), up to the furthest mark within
//   linesPerRound per round, the mark's place being the position. Then that source's lines are held again.
// - A source's `update` goes at most every 5 s unless its state changed (update-pacer.ts).
// - Metrics and process samples go to the metrics stream as they come, while Redis is there; a sample taken
//   while it is away is not kept (the charts show a gap, the history of the other hosts is untouched).
import type { LogLine, MetricsData, ProcessesData, SourceEventData, SourceInfo } from '../../../protocol/events';
import { hostKeys, type HostKeys } from '../../../protocol/host-streams';
import type { LinesAnswer, LinesQuery, LinesRefusal } from '../../../protocol/lines';
import { parsePosition, positionOf, type BatchPlace } from './positions';
import { entryJson, LINE_OVERHEAD_BYTES, RoundBuilder } from './round-builder';
import { UpdatePacer } from './update-pacer';
import { refusalOf, type RedisClient } from '../redis/redis-connection';

export const PUBLISH_LIMITS = Object.freeze({
  /** Text of the lines one round (one MULTI/EXEC) takes from the queue, at least one batch. */
  roundBytes: 1024 * 1024,
  /** Lines held while Redis is away or slow (their text plus ~64 bytes a line); past it, the files are the buffer. */
  heldBytes: 16 * 1024 * 1024,
  /** Marks kept per source whose lines are left on disk; past it every other one goes (ranges get longer). */
  marksKept: 4096,
  /** Lines read back from disk per request, and per round at most when a mark allows. */
  linesPerRead: 10_000,
  linesPerRound: 10_000,
  /** Lines that arrive together are gathered this long into one round. */
  gatherMs: 20,
  /** After a failed round: try again this soon (and whenever the client is ready again). */
  retryMs: 500,
  /**
   * A source's `update` entries at most this often, unless its state changed (the latest one waits, and goes
   * when its time comes): at one a second, a hundred busy files would fill the logs stream's MAXLEN with
   * updates in minutes. Rates per source are in every metrics sample anyway.
   */
  updateEveryMs: 5000,
});

const SOURCE_EVENT_BYTES = 512;

export interface HostPublisherOptions {
  client: RedisClient;
  host: string;
  /** `MAXLEN ~` of the host's logs stream and of its metrics stream. */
  logsMaxEntries: number;
  metricsMaxEntries: number;
  /** Default PUBLISH_LIMITS.heldBytes. */
  heldBytes?: number;
  /** A source's lines read again from its files (LogSources.lines). */
  readLines(query: LinesQuery): Promise<LinesAnswer | LinesRefusal>;
  warn(message: string): void;
}

interface HeldLines {
  kind: 'lines';
  source: string;
  path: string;
  lines: LogLine[];
  place: BatchPlace;
  bytes: number;
}
interface HeldSource {
  kind: 'source';
  data: SourceEventData;
  bytes: number;
}
/** A source's lines from `from` on, left in its files: each mark ends a range read back in one round. */
interface OnDisk {
  kind: 'disk';
  source: string;
  path: string;
  from: number;
  marks: { seq: number; place: BatchPlace }[];
}
type Queued = HeldLines | HeldSource | OnDisk;

/** A round sent whose outcome is not known yet, and how to tell. */
interface Unsettled {
  /** A position the round wrote: stored with this seq means it landed. Absent: it wrote none (resending is harmless). */
  check?: { source: string; seq: number };
  landed(): void;
}

export interface PublisherStats {
  /** Lines in the queue now, and their bytes as counted against heldBytes. */
  heldBytes: number;
  /** Lines published (entries that landed). */
  linesPublished: number;
  /** Lines published from the files rather than from memory (they came past the held bound). */
  linesReadBack: number;
  /** Lines that could not be read back from the files (gone from disk meanwhile). */
  linesLost: number;
  samplesDropped: number;
}

export class HostPublisher {
  private readonly options: HostPublisherOptions;
  private readonly client: RedisClient;
  private readonly keys: HostKeys;
  private readonly heldLimit: number;
  private readonly queue: Queued[] = [];
  /** The queued OnDisk of a source, while it has one: its later lines become marks of it. */
  private readonly onDisk = new Map<string, OnDisk>();
  private readonly paths = new Map<string, string>();
  private readonly updates = new UpdatePacer(PUBLISH_LIMITS.updateEveryMs, (source) => this.enqueueSource('update', source));
  private unsettled: Unsettled | null = null;
  private running = false;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  private lastFailure = '';
  private readonly idleWaiters: (() => void)[] = [];
  readonly stats: PublisherStats = { heldBytes: 0, linesPublished: 0, linesReadBack: 0, linesLost: 0, samplesDropped: 0 };

  constructor(options: HostPublisherOptions) {
    this.options = options;
    this.client = options.client;
    this.keys = hostKeys(options.host);
    this.heldLimit = options.heldBytes ?? PUBLISH_LIMITS.heldBytes;
    this.client.on('ready', this.onReady);
  }

  /** Lines of a source, in order, and where the last of them ends in its file (the tailer's LogSink). */
  appendLines(source: string, lines: LogLine[], place: BatchPlace): void {
    if (this.closed || lines.length === 0) return;
    const last = lines[lines.length - 1]!.seq;
    const disk = this.onDisk.get(source);
    if (disk) {
      addMark(disk, last, place);
      return;
    }
    let bytes = lines.length * LINE_OVERHEAD_BYTES;
    for (const line of lines) bytes += line.text.length;
    const path = this.paths.get(source) ?? '';
    if (this.stats.heldBytes + bytes > this.heldLimit) {
      const item: OnDisk = { kind: 'disk', source, path, from: lines[0]!.seq, marks: [{ seq: last, place }] };
      this.onDisk.set(source, item);
      this.queue.push(item);
    } else {
      this.queue.push({ kind: 'lines', source, path, lines, place, bytes });
      this.stats.heldBytes += bytes;
    }
    this.schedule(PUBLISH_LIMITS.gatherMs);
  }

  /** A source added, changed or removed: published in the logs stream, in order with its lines. */
  sourceChanged(op: SourceEventData['op'], source: SourceInfo): void {
    if (this.closed) return;
    if (op === 'update' && !this.updates.due(source)) return;
    if (op === 'add') {
      this.paths.set(source.id, source.path);
      this.updates.sent(source);
    } else if (op === 'remove') {
      // Lines of it that come after this (it came back) are not of the range on disk queued before it.
      this.onDisk.delete(source.id);
      this.updates.forget(source.id);
      this.paths.delete(source.id);
    }
    this.enqueueSource(op, source);
  }

  private enqueueSource(op: SourceEventData['op'], source: SourceInfo): void {
    // While lines wait, an update is news that a later one gives again.
    if (op === 'update' && this.stats.heldBytes + SOURCE_EVENT_BYTES > this.heldLimit) return;
    this.queue.push({ kind: 'source', data: { op, source }, bytes: SOURCE_EVENT_BYTES });
    this.stats.heldBytes += SOURCE_EVENT_BYTES;
    this.schedule(PUBLISH_LIMITS.gatherMs);
  }

  /** A metrics or processes sample: to the metrics stream now, or (Redis away) not at all. */
  publishSample(type: 'metrics' | 'processes', data: MetricsData | ProcessesData): void {
    if (this.closed || !this.client.isReady) {
      this.stats.samplesDropped++;
      return;
    }
    const trim = { TRIM: { strategy: 'MAXLEN' as const, strategyModifier: '~' as const, threshold: this.options.metricsMaxEntries } };
    this.client.xAdd(this.keys.metrics, '*', { t: type, d: JSON.stringify(data) }, trim).catch(() => {
      this.stats.samplesDropped++;
    });
  }

  /** Resolves once everything queued so far has been published (for tests and a clean stop). */
  idle(): Promise<void> {
    if (this.queue.length === 0 && !this.unsettled) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops publishing; what is still queued stays in the files (and positions say where). */
  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.updates.close();
    this.timer = null;
    this.client.off('ready', this.onReady);
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  private readonly onReady = (): void => this.schedule(0);

  private schedule(ms: number): void {
    if (this.closed || this.running || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.run();
    }, ms);
  }

  /** Sends rounds until the queue is empty or a round fails (then again after retryMs, or when Redis is back). */
  private async run(): Promise<void> {
    if (this.running || this.closed) return;
    this.running = true;
    let failed = false;
    try {
      while (!this.closed && (this.unsettled || this.queue.length > 0)) {
        if (!(await this.step())) {
          failed = true;
          break;
        }
      }
    } finally {
      this.running = false;
    }
    if (failed) this.schedule(PUBLISH_LIMITS.retryMs);
    else if (this.queue.length === 0 && !this.unsettled) for (const resolve of this.idleWaiters.splice(0)) resolve();
    else this.schedule(0);
  }

  /** One round, or the settling of one; false when Redis did not answer as hoped. */
  private async step(): Promise<boolean> {
    if (!this.client.isReady) return false;
    if (this.unsettled) return this.settle(this.unsettled);
    const head = this.queue[0]!;
    return head.kind === 'disk' ? this.publishFromDisk(head) : this.publishHeld();
  }

  /** Was the round whose reply was lost applied? Its position says. */
  private async settle(unsettled: Unsettled): Promise<boolean> {
    const { check } = unsettled;
    if (check) {
      let stored: string | null | undefined;
      try {
        stored = await this.client.hGet(this.keys.positions, check.source);
      } catch (err) {
        this.failed(err, (await refusalOf(err)) !== null);
        return false;
      }
      const position = stored ? parsePosition(stored) : null;
      if (position && position.seq >= check.seq) unsettled.landed();
    }
    this.unsettled = null;
    return true;
  }

  /** Held lines and source changes from the head of the queue, up to roundBytes, as one round. */
  private async publishHeld(): Promise<boolean> {
    const taken: (HeldLines | HeldSource)[] = [];
    let bytes = 0;
    for (const item of this.queue) {
      if (item.kind === 'disk' || (taken.length > 0 && bytes + item.bytes > PUBLISH_LIMITS.roundBytes)) break;
      taken.push(item);
      bytes += item.bytes;
    }
    const round = new RoundBuilder();
    let lines = 0;
    for (const item of taken) {
      if (item.kind === 'source') {
        round.addSource(item.data);
        continue;
      }
      round.addLines(item.source, item.lines, item.place.plain === true);
      round.setPosition(item.source, positionOf(item.path, item.place, item.lines[item.lines.length - 1]!.seq));
      lines += item.lines.length;
    }
    return this.send(round, () => {
      this.queue.splice(0, taken.length);
      this.stats.heldBytes -= bytes;
      this.stats.linesPublished += lines;
    });
  }

  /**
   * The lines of a source up to one of its marks, read back from its files, as one round: the furthest mark
   * within linesPerRound lines (at least the first), so catching up takes few rounds.
   */
  private async publishFromDisk(item: OnDisk): Promise<boolean> {
    let taken = 1;
    while (taken < item.marks.length && item.marks[taken]!.seq - item.from < PUBLISH_LIMITS.linesPerRound) taken++;
    const mark = item.marks[taken - 1]!;
    const lines: LogLine[] = [];
    let from = item.from;
    let lost = 0;
    while (from <= mark.seq && !this.closed) {
      const answer = await this.options.readLines({ source: item.source, from, to: Math.min(mark.seq, from + PUBLISH_LIMITS.linesPerRead - 1) });
      const got = 'code' in answer ? [] : answer.lines.filter((line) => line.seq >= from && line.seq <= mark.seq);
      if (got.length === 0) {
        lost += mark.seq - from + 1;
        break;
      }
      lost += got[0]!.seq - from;
      lines.push(...got);
      from = got[got.length - 1]!.seq + 1;
    }
    if (this.closed) return false;
    const round = new RoundBuilder();
    round.addLines(item.source, lines);
    round.setPosition(item.source, positionOf(item.path, mark.place, mark.seq));
    return this.send(round, () => {
      if (lost > 0) {
        this.stats.linesLost += lost;
        this.options.warn(`${lost} lines of ${item.path} up to line ${mark.seq} were no longer on disk when Redis took lines again; they were not published`);
      }
      this.stats.linesPublished += lines.length;
      this.stats.linesReadBack += lines.length;
      item.from = mark.seq + 1;
      // By seq, not by index: marks may have been thinned while the round was on its way.
      item.marks = item.marks.filter((m) => m.seq > mark.seq);
      if (item.marks.length === 0) {
        this.queue.shift();
        this.onDisk.delete(item.source);
      }
    });
  }

  /** Sends a round in one MULTI/EXEC; `landed` runs once it is known to have been applied. */
  private async send(round: RoundBuilder, landed: () => void): Promise<boolean> {
    const trim = { TRIM: { strategy: 'MAXLEN' as const, strategyModifier: '~' as const, threshold: this.options.logsMaxEntries } };
    const multi = this.client.multi();
    for (const entry of round.entries) multi.xAdd(this.keys.logs, '*', { t: entry.t, d: entryJson(entry) }, trim);
    let check: Unsettled['check'];
    for (const [source, position] of round.positions) {
      multi.hSet(this.keys.positions, source, JSON.stringify(position));
      check ??= { source, seq: position.seq };
    }
    try {
      await multi.exec();
    } catch (err) {
      // A refusal (an ACL, a full memory) is known not to have been applied; anything else may have been.
      const refusal = await refusalOf(err);
      if (refusal !== 'refused') this.unsettled = { ...(check ? { check } : {}), landed };
      this.failed(err, refusal !== null);
      return false;
    }
    this.lastFailure = '';
    landed();
    return true;
  }

  /** Says why publishing stopped, once per different reason (Redis away is said by the client's errors). */
  private failed(err: unknown, refused: boolean): void {
    const message = err instanceof Error ? err.message : String(err);
    if (message === this.lastFailure) return;
    this.lastFailure = message;
    if (refused) this.options.warn(`Redis refused the lines of host ${this.options.host}: ${message.split('\n')[0]}; retrying`);
  }
}

function addMark(item: OnDisk, seq: number, place: BatchPlace): void {
  item.marks.push({ seq, place });
  if (item.marks.length <= PUBLISH_LIMITS.marksKept) return;
  const last = item.marks.length - 1;
  item.marks = item.marks.filter((_, i) => i % 2 === 1 || i === last);
}
