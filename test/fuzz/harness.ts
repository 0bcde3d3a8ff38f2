// The fuzz harness: runs each family's fast-check properties in seeded rounds within a time budget, with
// oracles every family shares (no uncaught exception or unhandled rejection, no hang, the target still
// serves a good client after each round, bounded memory), and reports every finding with a replay line.
import fc from 'fast-check';
import { createContext, Script } from 'node:vm';
import { collectGarbage } from '../helpers/collect-garbage';

export { collectGarbage };

/** What a run of the suite is given. */
export interface FuzzOptions {
  /** Base seed: every round's seed is derived from it, the family, the property and the round number. */
  seed: number;
  /** Count violations of known bugs (known-bugs.ts) instead of stopping at them, to look for others behind them. */
  excludeKnown: boolean;
  /** How long one step (a request, a message and its answer) may take before it counts as a hang. */
  stepTimeoutMs: number;
  log(line: string): void;
}

/** An oracle that does not hold for an input. `known` names the known bug it is, when it is one. */
export class Violation extends Error {
  constructor(
    readonly oracle: string,
    message: string,
    readonly known?: string,
  ) {
    super(`${oracle}: ${message}`);
  }
}

/** Throws a Violation unless `ok`; `known` tags a violation that is a known bug (see known-bugs.ts). */
export function expect(ok: boolean, oracle: string, message: () => string, known?: string | false): asserts ok {
  if (!ok) throw new Violation(oracle, message(), known || undefined);
}

export interface Property<T = unknown> {
  name: string;
  arbitrary: fc.Arbitrary<T>;
  /** Throws (a Violation, or anything) when an oracle does not hold for `input`. */
  run(input: T): Promise<void> | void;
}

/** A property over any input type, as families list them. */
export type AnyProperty = Property<any>;

export interface MemoryReading {
  what: string;
  bytes: number;
  /** A finding when `bytes` is above it. */
  bound: number;
}

export interface FamilySession {
  properties: AnyProperty[];
  /** After each round: the target still serves a good client and holds no client of the round. */
  check(): Promise<void>;
  /** At the end: memory figures and their bounds. */
  memory(): Promise<MemoryReading[]>;
  close(): Promise<void>;
}

export interface Family {
  name: string;
  /** One line: what it generates and against what. */
  summary: string;
  open(options: FuzzOptions): Promise<FamilySession>;
}

export interface Finding {
  family: string;
  property: string;
  message: string;
  counterexample: string;
  numShrinks: number;
  seed: number;
  path: string | null;
}

export interface FamilyResult {
  family: string;
  inputs: number;
  perProperty: Record<string, number>;
  ms: number;
  findings: Finding[];
  /** Violations of known bugs counted under --exclude-known, by bug. */
  knownHits: Record<string, number>;
  /** Failures of an oracle a property already had a finding for, by property and oracle. */
  repeats: Record<string, number>;
  memory: MemoryReading[];
}

// ---------------------------------------------------------------------------------------------------------
// Uncaught exceptions and unhandled rejections: recorded (so the process lives on to report them) and
// turned into a finding of the input that was running.

const uncaught: { kind: string; error: unknown }[] = [];
/** Waits (withTimeout, eventually) that end early when something is recorded. */
const uncaughtWaiters = new Set<() => void>();
let recorderInstalled = false;

/** Installs the process-wide recorders once. */
export function installRecorders(): void {
  if (recorderInstalled) return;
  recorderInstalled = true;
  const recorded = (kind: string) => (error: unknown) => {
    uncaught.push({ kind, error });
    for (const wake of uncaughtWaiters) wake();
  };
  process.on('uncaughtException', recorded('uncaught exception'));
  process.on('unhandledRejection', recorded('unhandled rejection'));
}

/** What the recorders caught and nobody has reported yet, as a Violation (left to be reported). */
function pendingUncaught(): Violation | null {
  if (uncaught.length === 0) return null;
  const first = uncaught[0]!;
  const stack = first.error instanceof Error ? (first.error.stack ?? first.error.message) : String(first.error);
  const more = uncaught.length > 1 ? ` (and ${uncaught.length - 1} more)` : '';
  return new Violation(first.kind, `${stack.split('\n').slice(0, 8).join('\n    ')}${more}`);
}

/** Throws a Violation for what the recorders caught since the last call, and forgets it. */
export function throwIfUncaught(): void {
  const violation = pendingUncaught();
  uncaught.splice(0);
  if (violation) throw violation;
}

// ---------------------------------------------------------------------------------------------------------
// Time and memory.

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** `promise`, or a Violation `hang` naming `what` after `ms`. */
/**
 * `promise`, or a Violation `hang` naming `what` after `ms`; ends at once with the recorded error when an
 * uncaught exception or unhandled rejection comes meanwhile (that is the finding, not the wait).
 */
export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  let wake: (() => void) | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Violation('hang', `no answer within ${ms} ms: ${what}`)), ms);
    wake = () => {
      const violation = pendingUncaught();
      if (violation) reject(violation);
    };
    uncaughtWaiters.add(wake);
    if (uncaught.length > 0) wake();
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
    uncaughtWaiters.delete(wake!);
  }
}

/** Polls `check` until true; a Violation `oracle` after `ms` (or the recorded error, as for withTimeout). */
export async function eventually(check: () => boolean | Promise<boolean>, ms: number, oracle: string, what: () => string): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    const violation = pendingUncaught();
    if (violation) throw violation;
    if (await check()) return;
    if (Date.now() > deadline) throw new Violation(oracle, `${what()} (waited ${ms} ms)`);
    await sleep(5);
  }
}

const callScript = new Script('call()');
const callContext = createContext({ call: (): unknown => undefined });

/**
 * Runs synchronous `f` with a time limit: V8 stops it past `ms` (a loop that never ends, a runaway regex)
 * and the Violation `hang` names `what`. vm's timeout interrupts any JavaScript running in the isolate.
 */
export function callWithin<T>(ms: number, what: () => string, f: () => T): T {
  let result: T;
  callContext.call = () => (result = f());
  try {
    callScript.runInContext(callContext, { timeout: ms });
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') throw new Violation('hang', `did not return within ${ms} ms: ${what()}`);
    throw err;
  }
  return result!;
}

export const MiB = 1024 * 1024;

/** For a family run in this process: its heap growth (after a full GC) against `bound`, from now on. */
export function heapGrowthFromNow(what: string, bound: number): () => Promise<MemoryReading[]> {
  collectGarbage();
  const start = process.memoryUsage().heapUsed;
  return async () => {
    collectGarbage();
    return [{ what, bytes: process.memoryUsage().heapUsed - start, bound }];
  };
}

// ---------------------------------------------------------------------------------------------------------
// Reporting inputs.

/** fast-check's rendering of `value`, with long runs of one character folded (`'[' × 20000`) and capped. */
export function describeInput(value: unknown, maxChars = 1200): string {
  let text: string;
  try {
    text = fc.stringify(value);
  } catch (err) {
    text = `<unprintable: ${(err as Error).message}>`;
  }
  const folded = text.replace(/(.)\1{15,}/gsu, (run, char: string) => `⟪${JSON.stringify(char)} × ${[...run].length}⟫`);
  return folded.length > maxChars ? `${folded.slice(0, maxChars)}… (${folded.length} chars)` : folded;
}

/** A 32-bit seed from the base seed and names (FNV-1a), so a family's rounds do not depend on the others. */
export function deriveSeed(base: number, ...parts: (string | number)[]): number {
  let h = 0x811c9dc5 ^ (base | 0);
  for (const ch of parts.join('\u0000')) {
    h ^= ch.codePointAt(0)!;
    h = Math.imul(h, 0x01000193);
  }
  return h | 0;
}

// ---------------------------------------------------------------------------------------------------------
// The runner.

/** A round takes about this long (or less, to share a short budget between properties). */
const ROUND_MS = 20_000;
/** Runs in a property's first round, before its speed is known. */
const FIRST_ROUND_RUNS = 5;
/** Shrinking a counterexample may take this long at most (each shrink step is a real exchange). */
const SHRINK_MS = 60_000;
/** Opening or closing a family's session (a server, its clients) may take this long. */
const SESSION_MS = 30_000;

interface PropertyState {
  property: AnyProperty;
  inputs: number;
  ms: number;
  round: number;
  /** Oracles with a finding, and how often they failed again since. */
  found: Map<string, number>;
}

export interface RunFamilyOptions extends FuzzOptions {
  budgetMs: number;
  /** Only these properties (names); all when empty. */
  only?: readonly string[];
  /** Shrink time limit; SHRINK_MS by default. */
  shrinkMs?: number;
}

/** The family's open session; reopened after a failure that may have left the target broken (BREAKS_SESSION). */
class SessionHolder {
  session!: FamilySession;
  /** The last run failed: open a fresh session before the next. */
  broken = false;

  constructor(
    private readonly family: Family,
    private readonly options: FuzzOptions,
  ) {}

  async open(): Promise<void> {
    this.session = await withTimeout(this.family.open(this.options), SESSION_MS, `${this.family.name}: opening a session`);
    this.broken = false;
  }

  /** Closes the session; one that does not close in time is left behind (and reported by the caller). */
  close(): Promise<void> {
    return withTimeout(this.session.close(), SESSION_MS, `${this.family.name}: closing a session`);
  }

  async reopen(): Promise<void> {
    await this.close().catch(() => undefined);
    uncaught.splice(0);
    await this.open();
  }

  property(name: string): AnyProperty {
    const p = this.session.properties.find((x) => x.name === name);
    if (!p) throw new Error(`family ${this.family.name} has no property ${name} (it has ${this.session.properties.map((x) => x.name).join(', ')})`);
    return p;
  }
}

interface PredicateMode {
  /** Runs after this time pass at once, uncounted: a round's size is only an estimate from earlier rounds. */
  cutOffAt?: number;
  /** Inputs really run (not cut off). */
  executed?: number;
  /** While shrinking: only a failure of this oracle counts, so the shrink stays on the bug first found. */
  oracle?: string;
  /** Oracles this property has a finding for already: their failures are counted, not reported again. */
  found?: Map<string, number>;
  knownHit(bug: string): void;
  excludeKnown: boolean;
}

/** Failures after which the target cannot be trusted: the next input gets a fresh one. */
const BREAKS_SESSION = new Set(['uncaught exception', 'unhandled rejection', 'hang', 'process exit', 'client leak', 'good client', 'upgrade', 'exception']);

function oracleOf(err: unknown): string {
  return err instanceof Violation ? err.oracle : 'exception';
}

function predicate(holder: SessionHolder, name: string, mode: PredicateMode): (input: unknown) => Promise<void> {
  return async (input) => {
    if (mode.cutOffAt !== undefined && Date.now() > mode.cutOffAt) return;
    if (mode.executed !== undefined) mode.executed++;
    if (holder.broken) await holder.reopen();
    try {
      throwIfUncaught();
      await holder.property(name).run(input);
      // Let what the input set off (a listener, a rejected promise) run before judging it.
      await new Promise((r) => setImmediate(r));
      throwIfUncaught();
    } catch (caught) {
      // An error recorded meanwhile is what went wrong first; what the property saw follows from it.
      let err = caught;
      try {
        throwIfUncaught();
      } catch (recorded) {
        err = recorded;
      }
      const oracle = oracleOf(err);
      if (BREAKS_SESSION.has(oracle)) holder.broken = true;
      if (err instanceof Violation && err.known && mode.excludeKnown) {
        mode.knownHit(err.known);
        return;
      }
      if (mode.oracle !== undefined && oracle !== mode.oracle) return;
      if (mode.found?.has(oracle)) {
        mode.found.set(oracle, mode.found.get(oracle)! + 1);
        return;
      }
      throw err;
    }
  };
}

/** Runs one family until its budget is spent; never throws for a finding (it is in the result). */
export async function runFamily(family: Family, options: RunFamilyOptions): Promise<FamilyResult> {
  installRecorders();
  const started = Date.now();
  const deadline = started + options.budgetMs;
  const result: FamilyResult = { family: family.name, inputs: 0, perProperty: {}, ms: 0, findings: [], knownHits: {}, repeats: {}, memory: [] };
  const knownHit = (bug: string) => (result.knownHits[bug] = (result.knownHits[bug] ?? 0) + 1);
  const record = (property: string, message: string, extra: Partial<Finding> = {}) => {
    const finding: Finding = { family: family.name, property, message, counterexample: '', numShrinks: 0, seed: options.seed, path: null, ...extra };
    result.findings.push(finding);
    options.log(formatFinding(finding));
  };

  const holder = new SessionHolder(family, options);
  try {
    await holder.open();
  } catch (err) {
    record('(open)', errorText(err));
    result.ms = Date.now() - started;
    return result;
  }
  const states: PropertyState[] = holder.session.properties
    .filter((p) => !options.only?.length || options.only.includes(p.name))
    .map((property) => ({ property, inputs: 0, ms: 0, round: 0, found: new Map<string, number>() }));
  const perRoundMs = Math.max(1000, Math.min(ROUND_MS, options.budgetMs / Math.max(1, states.length) / 2));
  try {
    while (Date.now() < deadline && states.length > 0) {
      for (const state of states) {
        if (Date.now() >= deadline) break;
        const name = state.property.name;
        const slice = Math.min(perRoundMs, deadline - Date.now());
        const runs = state.inputs === 0 ? FIRST_ROUND_RUNS : Math.max(1, Math.min(1_000_000, Math.floor(slice / Math.max(0.01, state.ms / state.inputs))));
        const seed = deriveSeed(options.seed, family.name, name, state.round++);
        const t0 = Date.now();
        // A round may overrun its slice by half (inputs vary in cost): the rest of it is cut off.
        const cutOffAt = Math.min(deadline + 1000, t0 + slice * 1.5 + 500);
        const mode = { cutOffAt, executed: 0, found: state.found, knownHit, excludeKnown: options.excludeKnown };
        const details = await fc.check(fc.asyncProperty(state.property.arbitrary, predicate(holder, name, mode)), { seed, numRuns: runs, endOnFailure: true });
        state.ms += Date.now() - t0;
        state.inputs += mode.executed;
        if (details.failed && details.counterexamplePath !== null) {
          // The property goes on, looking for failures of other oracles (a bug is reported once).
          state.found.set(oracleOf(details.errorInstance), 0);
          const first = `first seen (before shrinking) as ${describeInput(details.counterexample?.[0], 300)}`;
          const shrunk = await shrink(holder, name, seed, details.counterexamplePath, oracleOf(details.errorInstance), options.shrinkMs ?? SHRINK_MS);
          const best = shrunk ?? details;
          record(name, `${errorText(best.errorInstance)}\n  ${first}`, {
            counterexample: describeInput(best.counterexample?.[0]),
            numShrinks: best.numShrinks,
            seed,
            path: best.counterexamplePath,
          });
          await holder.reopen();
          continue;
        }
        try {
          if (holder.broken) await holder.reopen();
          await holder.session.check();
          throwIfUncaught();
        } catch (err) {
          if (err instanceof Violation && err.known && options.excludeKnown) knownHit(err.known);
          else if (!state.found.has(`after a round: ${oracleOf(err)}`)) {
            state.found.set(`after a round: ${oracleOf(err)}`, 0);
            record(name, `after a round (seed ${seed}, ${details.numRuns} inputs): ${errorText(err)}`, { seed });
          }
          await holder.reopen();
        }
      }
    }
    result.memory = await holder.session.memory();
    for (const m of result.memory) {
      if (m.bytes > m.bound) record('(memory)', `${m.what} is ${(m.bytes / MiB).toFixed(1)} MiB, over the bound of ${(m.bound / MiB).toFixed(0)} MiB`);
    }
  } finally {
    await holder.close().catch((err: unknown) => record('(close)', errorText(err)));
  }
  try {
    throwIfUncaught();
  } catch (err) {
    record('(after close)', errorText(err));
  }
  for (const s of states) {
    result.perProperty[s.property.name] = s.inputs;
    for (const [oracle, n] of s.found) if (n > 0) result.repeats[`${s.property.name}: ${oracle}`] = n;
  }
  result.inputs = states.reduce((n, s) => n + s.inputs, 0);
  result.ms = Date.now() - started;
  return result;
}

/** Shrinks from a failing path for at most `ms`, keeping to failures of `oracle`; null when it did not fail again. */
async function shrink(holder: SessionHolder, name: string, seed: number, path: string, oracle: string | undefined, ms: number): Promise<fc.RunDetails<[unknown]> | null> {
  const property = holder.property(name);
  const mode = { oracle, knownHit: () => undefined, excludeKnown: false };
  const details = await fc.check(fc.asyncProperty(property.arbitrary, predicate(holder, name, mode)), { seed, path, plugins: [fc.interruptAfterTimeLimit(ms)] });
  return details.failed && details.counterexamplePath !== null ? (details as fc.RunDetails<[unknown]>) : null;
}

/** Replays one counterexample (`--replay family/property:seed:path`) against a fresh session, with shrinking. */
export async function replay(family: Family, property: string, seed: number, path: string, options: FuzzOptions): Promise<Finding | null> {
  installRecorders();
  const holder = new SessionHolder(family, options);
  await holder.open();
  try {
    const details = await shrink(holder, property, seed, path, undefined, SHRINK_MS);
    if (!details) return null;
    return {
      family: family.name,
      property,
      message: errorText(details.errorInstance),
      counterexample: describeInput(details.counterexample?.[0]),
      numShrinks: details.numShrinks,
      seed,
      path: details.counterexamplePath,
    };
  } finally {
    await holder.close();
  }
}

export function errorText(err: unknown): string {
  if (err instanceof Violation) return err.message;
  if (err instanceof Error) return (err.stack ?? err.message).split('\n').slice(0, 6).join('\n    ');
  return String(err);
}

export function formatFinding(f: Finding): string {
  const lines = [`FINDING ${f.family}/${f.property}: ${f.message}`];
  if (f.counterexample) lines.push(`  counterexample (shrunk ${f.numShrinks} times): ${f.counterexample}`);
  if (f.path !== null) lines.push(`  replay: npm run fuzz -- --replay ${f.family}/${f.property}:${f.seed}:${f.path}`);
  return lines.join('\n');
}
