// LogSources following one path (and, in one group, its rotated names too) while a seeded writer appends, leaves half lines, rotates (rename,
// copytruncate), deletes and pauses on real files; what the sink gets is checked against the model in
// test/fixtures/logs/log-model.ts (its header says what the tailer must deliver, and what the writer avoids).
//
// Replay one run: TAILWATCH_MODEL_SEED=<seed> npm test -- log-model
// More runs:      TAILWATCH_MODEL_RUNS=<n> (from the fixed seeds, or from TAILWATCH_MODEL_SEED on)
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, copyFileSync, existsSync, openSync, renameSync, rmSync, truncateSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { setImmediate as yieldToIo, setTimeout as delay } from 'node:timers/promises';
import type { LogLine } from '../../protocol/events';
import { DEFAULTS } from '../../main/app/options';
import { LOG_TIMINGS } from '../../main/sources/logs/limits';

/** Shorter than the defaults, so a run waits less; the model's waits below follow from them. */
const TIMINGS = { ...LOG_TIMINGS, safetyTickMs: 250, rotatedGraceMs: 1500 };
const { rotatedGraceMs: ROTATED_GRACE_MS, safetyTickMs: SAFETY_TICK_MS } = TIMINGS;
import { LogSources } from '../../main/sources/logs/log-sources';
import { sourceIdOf } from '../../main/sources/logs/source-id';
import { RecordingSink } from '../fixtures/logs/recording-sink';
import { EVERY_OP, LONG_PAUSE_MS, LONGEST_LINE_BYTES, LogModel, PLAIN_OPS, describeOp, planOps } from '../fixtures/logs/log-model';
import type { ModelFile, Op, OpMix, Plan, Unit } from '../fixtures/logs/log-model';
import { tempDir } from '../helpers/temp-dir';
import { waitFor } from '../helpers/wait';

const SEEDS = [0x1b873593, 0x2545f491, 0x3c6ef372, 0x4f1bbcdc, 0x5be0cd19, 0x6a09e667, 0x7f4a7c15, 0x85ebca6b];
const PLAIN_SEEDS = [0x9e3779b9, 0xc2b2ae35];
const ROTATED_SEEDS = [0x27d4eb2f, 0x165667b1, 0xd3a2646c, 0xfd7046c5];
const OPS_PER_RUN = 40;
/** Runs at once: each is mostly waiting, so they share a 2-core machine well. */
const CONCURRENCY = 4;

const PARTIAL_LINE_MS = 700;
/** How long the writer waits for the tailer to have read a file before it replaces or deletes it. */
const PRECONDITION_WAIT_MS = 8_000;
/**
 * An unfinished line must be shown once its file was quiet PARTIAL_LINE_MS: the tailer sees the data within
 * a safety tick, flushes at the first tick after the quiet time, and gets some slack for a loaded machine.
 */
const FLUSH_SHOWN_WITHIN_MS = PARTIAL_LINE_MS + 2 * SAFETY_TICK_MS + 3_000;
/**
 * At the end: nothing new for this long means what is missing stays missing. The slowest line to come is the
 * unfinished last line of a renamed file, shown when its grace period ends.
 */
const FINAL_QUIET_MS = Math.max(PARTIAL_LINE_MS, ROTATED_GRACE_MS) + 2 * SAFETY_TICK_MS + 2_000;
const FINAL_MAX_MS = 30_000;
/**
 * Then, to catch late repeats: nothing new for this long, and past the grace period of the last file that
 * left the path (when the tailer lets go of it).
 */
const SETTLE_QUIET_MS = SAFETY_TICK_MS + 1_000;
const SETTLE_AFTER_ROTATION_MS = ROTATED_GRACE_MS + 2 * SAFETY_TICK_MS;

const NEWLINE = Buffer.from('\n');

function envInt(name: string, min: number, max: number): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be a whole number from ${min} to ${max}, got ${JSON.stringify(raw)}`);
  }
  return value;
}

function seedsToRun(fixed: readonly number[]): number[] {
  const seed = envInt('TAILWATCH_MODEL_SEED', 0, 0xffffffff);
  const runs = envInt('TAILWATCH_MODEL_RUNS', 1, 10_000);
  if (seed !== undefined) return Array.from({ length: runs ?? 1 }, (_, i) => (seed + i) >>> 0);
  return Array.from({ length: runs ?? fixed.length }, (_, i) => fixed[i] ?? Math.imul(i + 1, 0x9e3779b1) >>> 0);
}

function writeAll(fd: number, bytes: Buffer): void {
  for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done);
}

/** A line, or what is left of it, to write: its bytes from `from`, then the newline. */
interface Part {
  unit: Unit;
  from: number;
}

const range = (units: Unit[]) => (units.length === 1 ? `w${units[0]!.n}` : `w${units[0]!.n}–w${units.at(-1)!.n}`);

/** The application writing the log: one fd on the file at the path, kept across renames like a real one. */
class Writer {
  private fd: number | null = null;
  private file: ModelFile | null = null;
  /** The current file's last line: begun, not finished. */
  private pending: Unit | null = null;
  /** When a file last left the path (rename, copytruncate, delete). */
  lastRotationAt = 0;
  /** What each op did, for the trace. */
  private effects: string[] = [];

  constructor(
    private readonly path: string,
    /** Rotations shift `.1` to `.2` first, as logrotate's numbered rotation does (`rotate 2`). */
    private readonly shift: boolean,
    private readonly model: LogModel,
    /** Waits for the tailer; false (and the problem recorded) on timeout. */
    private readonly until: (what: string, check: () => boolean, timeoutMs: number, stopsRun: boolean) => Promise<boolean>,
    /** Hands the model what the sink got so far. */
    private readonly consume: () => void,
  ) {}

  get rotated(): string {
    return `${this.path}.1`;
  }

  create(op: number, how: string): void {
    this.fd = openSync(this.path, 'a');
    this.file = this.model.newFile(op, how);
    this.effects.push(`file #${this.file.no} ${how}`);
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }

  /** Runs one op; returns what it did, and false when the tailer did not catch up (the run stops). */
  async apply(op: Op, i: number): Promise<{ effects: string; ok: boolean }> {
    this.effects = [];
    const ok = await this.run(op, i);
    return { effects: this.effects.join('; '), ok };
  }

  private async run(op: Op, i: number): Promise<boolean> {
    switch (op.kind) {
      case 'append': {
        const file = this.ensureFile(i);
        const parts = this.finishPending(i);
        const longAt = op.long ? this.model.random.int(0, op.count - 1) : -1;
        const fresh = Array.from({ length: op.count }, (_, k) => this.model.newLine(file, i, { utf8: op.utf8, long: k === longAt }));
        parts.push(...fresh.map((unit) => ({ unit, from: 0 })));
        const tears: number[] = [];
        if (op.torn) {
          // Cut a few of the new lines over two writes (at any byte, so inside UTF-8 sequences too), and maybe
          // write between two lines; the tailer may read in between.
          const starts = this.offsets(parts);
          for (let k = this.model.random.int(1, 3); k > 0; k--) {
            const index = parts.length - 1 - this.model.random.int(0, fresh.length - 1);
            const part = parts[index]!;
            if (part.unit.cut !== null) continue;
            tears.push(starts[index]! + this.model.cut(part.unit, true));
          }
          if (this.model.random.chance(0.5)) tears.push(starts[this.model.random.int(0, parts.length - 1)]!);
        }
        this.effects.push(`${range(fresh)} to file #${file.no}${tears.length ? ` in ${tears.length + 1} writes` : ''}`);
        await this.write(parts, tears);
        return true;
      }
      case 'partial': {
        const file = this.ensureFile(i);
        const unit = this.model.newLine(file, i, { utf8: op.utf8, long: op.long });
        const at = this.model.cut(unit, false);
        unit.startedAt = Date.now();
        writeAll(this.fd!, unit.bytes.subarray(0, at));
        this.pending = unit;
        this.effects.push(`first part of w${unit.n} to file #${file.no}`);
        return true;
      }
      case 'burst': {
        const file = this.ensureFile(i);
        const parts = this.finishPending(i);
        const fresh = Array.from({ length: op.count }, () => this.model.newLine(file, i, { short: true }));
        parts.push(...fresh.map((unit) => ({ unit, from: 0 })));
        this.effects.push(`${range(fresh)} to file #${file.no}`);
        // In writes of 1000 lines, the tailer reading along.
        for (let k = 0; k < parts.length; k += 1000) {
          await this.write(parts.slice(k, k + 1000), []);
          await yieldToIo();
        }
        return true;
      }
      case 'rename': {
        const file = this.file!;
        if (!(await this.ensureSeen(i))) return false;
        this.shiftRotated();
        renameSync(this.path, this.rotated);
        file.history.push(`renamed to .1 by op #${i}`);
        this.lastRotationAt = Date.now();
        const oldFd = this.fd!;
        const pending = this.pending;
        this.pending = null;
        if (op.newFileFirst) this.create(i, 'created at the path');
        if (op.oldFdLines > 0) {
          // Right after the rename, through the fd the writer still has: the tailer must still hold the file.
          const parts: Part[] = [];
          if (pending) parts.push(this.finish(pending, i));
          const fresh = Array.from({ length: op.oldFdLines }, () => this.model.newLine(file, i));
          parts.push(...fresh.map((unit) => ({ unit, from: 0 })));
          this.effects.push(`${range(fresh)} to file #${file.no} through the old fd`);
          await this.write(parts, this.offsets(parts).slice(1), oldFd);
        } else if (pending) {
          file.history.push(`left with w${pending.n} unfinished`);
          this.effects.push(`w${pending.n} left unfinished in file #${file.no}`);
        }
        if (!op.newFileFirst) this.create(i, 'created at the path');
        closeSync(oldFd);
        return true;
      }
      case 'copytruncate': {
        const file = this.file!;
        await this.write(this.finishPending(i), []);
        if (!(await this.ensureSeen(i))) return false;
        // logrotate's way: a new .1 (not the old one overwritten), then the truncate, and nothing written between.
        if (this.shift) this.shiftRotated();
        else rmSync(this.rotated, { force: true });
        copyFileSync(this.path, this.rotated);
        truncateSync(this.path, 0);
        this.model.truncated(file);
        file.history.push(`copytruncated by op #${i}`);
        this.lastRotationAt = Date.now();
        return true;
      }
      case 'delete': {
        const file = this.file!;
        await this.write(this.finishPending(i), []);
        if (op.waitForTailer) {
          // A file deleted before it was read is lost, whatever the tailer does: let it read everything first.
          const what = `the tailer to deliver all of file #${file.no} before op #${i} deletes it`;
          if (!(await this.until(what, () => this.model.caughtUp(file), PRECONDITION_WAIT_MS, true))) return false;
        } else {
          this.consume();
          this.model.deletedUnread(file);
        }
        this.close();
        unlinkSync(this.path);
        file.history.push(`deleted by op #${i}${op.waitForTailer ? '' : ' (unwaited)'}`);
        this.file = null;
        this.lastRotationAt = Date.now();
        if (typeof op.recreate === 'number') await delay(op.recreate);
        if (op.recreate !== 'lazily') this.create(i, 'created at the path');
        return true;
      }
      case 'pause': {
        await delay(op.ms);
        const unit = this.pending;
        if (op.ms >= LONG_PAUSE_MS && unit) {
          const left = unit.startedAt + FLUSH_SHOWN_WITHIN_MS - Date.now();
          const shown = await this.until(
            `the unfinished w${unit.n} to be shown after its file was quiet ${FLUSH_SHOWN_WITHIN_MS} ms (op #${i})`,
            () => unit.delivered.head > 0,
            Math.max(0, left),
            false,
          );
          this.effects.push(shown ? `w${unit.n} shown unfinished` : `w${unit.n} not shown`);
        }
        return true;
      }
    }
  }

  /** `.1` becomes `.2` (replacing it), leaving `.1` free for the file rotated now. */
  private shiftRotated(): void {
    if (!this.shift || !existsSync(this.rotated)) return;
    renameSync(this.rotated, `${this.path}.2`);
    this.effects.push('.1 renamed to .2');
  }

  private ensureFile(op: number): ModelFile {
    if (!this.file) this.create(op, 'created at the path');
    return this.file!;
  }

  /** The rest of the pending line, as the first part of the next write. */
  private finishPending(op: number): Part[] {
    const pending = this.pending;
    this.pending = null;
    return pending ? [this.finish(pending, op)] : [];
  }

  private finish(unit: Unit, op: number): Part {
    unit.finishedBy = op;
    this.effects.push(`finishing w${unit.n}`);
    return { unit, from: unit.cut! };
  }

  /**
   * Before a rotation: the tailer must have opened the file and read into its current content, or the file
   * is never read at this path. With no finished line to show for it yet, one is written first.
   */
  private async ensureSeen(op: number): Promise<boolean> {
    const file = this.file!;
    if (!file.units.some((u) => u.content === file.content && u.endedAt !== null)) {
      const parts = this.finishPending(op);
      if (parts.length === 0) {
        parts.push({ unit: this.model.newLine(file, op), from: 0 });
        this.effects.push(`w${parts[0]!.unit.n} written first`);
      }
      await this.write(parts, []);
    }
    return this.until(`a line of file #${file.no} to be delivered before op #${op} rotates it`, () => this.model.seen(file), PRECONDITION_WAIT_MS, true);
  }

  /** Where each part starts in the bytes `write` makes of them. */
  private offsets(parts: Part[]): number[] {
    let offset = 0;
    return parts.map((p) => {
      const start = offset;
      offset += p.unit.bytes.length - p.from + 1;
      return start;
    });
  }

  /** Writes the parts, split into separate writes at `tears`, and stamps each line's first and last write. */
  private async write(parts: Part[], tears: number[], fd = this.fd!): Promise<void> {
    if (parts.length === 0) return;
    const starts = this.offsets(parts);
    const bytes = Buffer.concat(parts.flatMap((p) => [p.unit.bytes.subarray(p.from), NEWLINE]));
    const bounds = [...new Set(tears)].filter((t) => t > 0 && t < bytes.length).sort((a, b) => a - b);
    bounds.push(bytes.length);
    let from = 0;
    for (const to of bounds) {
      const before = Date.now();
      writeAll(fd, bytes.subarray(from, to));
      const after = Date.now();
      parts.forEach((p, k) => {
        const start = starts[k]!;
        const newline = start + p.unit.bytes.length - p.from;
        if (p.from === 0 && start >= from && start < to) p.unit.startedAt = before;
        if (newline >= from && newline < to) p.unit.endedAt = after;
      });
      from = to;
      if (to < bytes.length) await yieldToIo();
    }
  }
}

/**
 * `rotationsFollowed`: the rotated names `.1` and `.2` are followed too, and rotations shift `.1` to `.2`:
 * a copy or a renamed file is then seen under three names, and its lines must still show once, under the path.
 */
async function runModel(seed: number, mix: OpMix, rotationsFollowed = false): Promise<void> {
  const plan = planOps(seed, OPS_PER_RUN, mix);
  assert.ok(LONGEST_LINE_BYTES < DEFAULTS.maxLineBytes, 'the model writes no line the tailer would cut');
  const dir = await tempDir('tailwatch-model-');
  const path = join(dir.path, 'app.log');
  const id = sourceIdOf(path);
  const model = new LogModel(seed, PARTIAL_LINE_MS);
  const sink = new RecordingSink();
  const lines = (): readonly LogLine[] => sink.lines.get(id) ?? [];
  const problems: string[] = [];
  const trace: string[] = [];
  let t0 = Date.now();
  const at = () => `+${((Date.now() - t0) / 1000).toFixed(3)}s`;
  const until = async (what: string, check: () => boolean, timeoutMs: number, stopsRun: boolean) => {
    try {
      await waitFor(() => (model.consume(lines()), check()), what, timeoutMs);
      return true;
    } catch {
      problems.push(`${stopsRun ? 'stuck' : 'late'}: ${at()} timed out after ${timeoutMs} ms waiting for ${what}`);
      return false;
    }
  };
  const writer = new Writer(path, rotationsFollowed, model, until, () => model.consume(lines()));
  let sources: LogSources | null = null;
  try {
    if (plan.startWithFile) writer.create(0, 'created empty before start');
    sources = new LogSources(
      { ...DEFAULTS, file: rotationsFollowed ? [path, `${path}.1`, `${path}.2`] : [path], backfill: 0, partialLineMs: PARTIAL_LINE_MS, timings: TIMINGS },
      sink,
    );
    await sources.start();
    t0 = Date.now();
    let done = 0;
    for (const [k, op] of plan.ops.entries()) {
      const i = k + 1;
      const started = at();
      const { effects, ok } = await writer.apply(op, i);
      trace.push(`${started} #${i} ${describeOp(op)}${effects ? ` — ${effects}` : ''}`);
      done = i;
      if (!ok) break;
      await yieldToIo();
    }
    if (done < plan.ops.length) trace.push(`stopped: ops #${done + 1}–#${plan.ops.length} not run`);
    writer.close();
    await settle(model, lines, writer.lastRotationAt, problems, at);
  } finally {
    await sources?.close();
    writer.close();
    await dir.remove();
  }

  problems.push(...model.check((op) => (op === 0 ? 'setup' : describeOp(plan.ops[op - 1]!))));
  problems.push(...sink.violations.map((v) => `sink contract: ${v}`));
  for (const [other, got] of sink.lines) if (other !== id) problems.push(`${got.length} lines under source ${other}, not the path's ${id}`);
  if (problems.length > 0) assert.fail(report(plan, mix, problems, model, trace));
}

/** Waits until everything written has arrived (or nothing more comes), then a while longer for late repeats. */
async function settle(model: LogModel, lines: () => readonly LogLine[], lastRotationAt: number, problems: string[], at: () => string): Promise<void> {
  const start = Date.now();
  let count = -1;
  let changedAt = start;
  for (;;) {
    model.consume(lines());
    const now = Date.now();
    if (model.deliveredCount !== count) [count, changedAt] = [model.deliveredCount, now];
    if (model.allArrived()) break;
    if (now - changedAt >= FINAL_QUIET_MS || now - start >= FINAL_MAX_MS) {
      problems.push(`incomplete: ${at()} gave up waiting for the rest after ${now - start} ms (${now - changedAt} ms without a new line)`);
      return;
    }
    await delay(50);
  }
  for (;;) {
    model.consume(lines());
    const now = Date.now();
    if (model.deliveredCount !== count) [count, changedAt] = [model.deliveredCount, now];
    if (now - changedAt >= SETTLE_QUIET_MS && now - lastRotationAt >= SETTLE_AFTER_ROTATION_MS) return;
    await delay(50);
  }
}

function report(plan: Plan, mix: OpMix, problems: string[], model: LogModel, trace: string[]): string {
  return [
    `seed ${plan.seed}: ${problems.length} problem${problems.length === 1 ? '' : 's'} ` +
      `(replay: TAILWATCH_MODEL_SEED=${plan.seed} npm test -- log-model; ops: ${mix === EVERY_OP ? 'every kind' : 'plain'})`,
    ...problems.slice(0, 60).map((p) => `  ${p}`),
    ...(problems.length > 60 ? [`  … ${problems.length - 60} more`] : []),
    'files:',
    ...model.fileHistories().map((h) => `  ${h}`),
    `ops (${plan.startWithFile ? 'an empty file at the path at start' : 'no file at the path at start'}):`,
    ...trace.map((t) => `  ${t}`),
  ].join('\n');
}

// Both kinds at once: a run mostly waits (pauses, the tailer's timers), so several share a 2-core machine.
describe('log model', { concurrency: true }, () => {
  describe('every kind of op (rename with writes to the old file, copytruncate, delete, partial lines)', { concurrency: CONCURRENCY }, () => {
    for (const seed of seedsToRun(SEEDS)) test(`seed ${seed}`, () => runModel(seed, EVERY_OP));
  });

  describe('every kind of op, with the rotated names followed too and shifted on (.1 → .2)', { concurrency: CONCURRENCY }, () => {
    for (const seed of seedsToRun(ROTATED_SEEDS)) test(`seed ${seed}`, () => runModel(seed, EVERY_OP, true));
  });

  // The model checked against what the tailer has long handled: a failure here is a bug in the model (or a
  // regression), not a missing feature.
  describe('plain ops (appends, partial lines, pauses, bursts, rename, delete)', { concurrency: CONCURRENCY }, () => {
    for (const seed of seedsToRun(PLAIN_SEEDS)) test(`seed ${seed}`, () => runModel(seed, PLAIN_OPS));
  });
});
