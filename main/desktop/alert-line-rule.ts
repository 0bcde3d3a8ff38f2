// One line alert rule at work: its compiled pattern, its cooldown, and what its pattern costs, so that a
// pathological pattern is paused before it stalls the main process (every line read passes through here).

import type { AlertJump, LineAlertRule } from '../../protocol/desktop-ipc';
import type { LogLine } from '../../protocol/events';
import { visibleName } from '../../protocol/visible-text';
import { formatDuration, shownLine } from './alert-text';

/**
 * Only this many leading characters of a line are tested: the cost of a pattern grows with the text, and
 * lines can be up to the tailer's cap (64 KiB by default). A `$` in a pattern then also matches at the cut.
 */
const MAX_TESTED_CHARS = 4096;

/** `g` and `y` are refused: they make `RegExp.test` stateful (lastIndex), so a rule would skip matches. */
const ALLOWED_FLAGS = /^[isu]*$/;

export interface LinePatternBudget {
  /** Time a rule's pattern may take per second of wall-clock time before the rule is paused. */
  msPerSecond: number;
  /** How long a rule over its budget stays paused. */
  pauseMs: number;
}

/** A line alert to show: what it says and where it leads. */
export interface LineMatch {
  body: string;
  jump: AlertJump;
}

/** Why a rule over its budget was paused, for the shell to tell the user. */
export interface RulePause {
  until: number;
  message: string;
}

/** Compiles a rule's pattern; the error message, not an exception, when it does not compile. */
export function compileLinePattern(rule: LineAlertRule): RegExp | string {
  if (!ALLOWED_FLAGS.test(rule.flags)) return `flags "${rule.flags}" are not among i, s, u`;
  try {
    return new RegExp(rule.pattern, rule.flags);
  } catch (error) {
    return (error as Error).message;
  }
}

export class LineRuleWatch {
  /** null = every source. */
  private readonly sources: ReadonlySet<string> | null;
  /** Wall-clock ms before which the rule does not notify again. */
  private quietUntil = -Infinity;
  /** Matches while quiet, told in the next notification. */
  private missed = 0;
  private pausedUntil = -Infinity;
  /** Which second of wall-clock time `spentMs` is for. */
  private second = NaN;
  private spentMs = 0;

  constructor(
    readonly rule: LineAlertRule,
    private readonly pattern: RegExp,
    private readonly budget: LinePatternBudget,
  ) {
    this.sources = rule.sources.length > 0 ? new Set(rule.sources) : null;
  }

  /**
   * Tests `lines` of one source. `pause` is called when the pattern goes over its budget: the rest of the
   * lines (and every line until the pause ends) are not tested. A single line cannot be interrupted, so one
   * line's cost is the most the main process can lose to a rule beyond its budget.
   */
  scan(
    sourceId: string,
    sourceName: string,
    lines: readonly LogLine[],
    now: number,
    stopwatch: () => number,
    pause: (p: RulePause) => void,
  ): LineMatch | null {
    if (now < this.pausedUntil || (this.sources !== null && !this.sources.has(sourceId))) return null;
    const second = Math.floor(now / 1000);
    if (second !== this.second) {
      this.second = second;
      this.spentMs = 0;
    }
    let first: LogLine | undefined;
    let more = 0;
    let last = stopwatch();
    for (const line of lines) {
      const text = line.text.length > MAX_TESTED_CHARS ? line.text.slice(0, MAX_TESTED_CHARS) : line.text;
      if (this.pattern.test(text)) {
        if (first === undefined) first = line;
        else more++;
      }
      // One clock read per line, shared with the next line's start: measuring costs almost nothing.
      const t = stopwatch();
      this.spentMs += t - last;
      last = t;
      if (this.spentMs > this.budget.msPerSecond) {
        this.pausedUntil = now + this.budget.pauseMs;
        pause({
          until: this.pausedUntil,
          message:
            `alert rule "${this.rule.name}" paused for ${formatDuration(this.budget.pauseMs)}: its pattern took ` +
            `${Math.round(this.spentMs)} ms within one second (the budget is ${this.budget.msPerSecond} ms)`,
        });
        this.spentMs = 0;
        break;
      }
    }
    if (first === undefined) return null;
    if (now < this.quietUntil) {
      this.missed += 1 + more;
      return null;
    }
    this.quietUntil = now + this.rule.cooldownSeconds * 1000;
    let body = `${visibleName(sourceName)}: ${shownLine(first.text)}`;
    if (more > 0) body += ` (and ${more} more)`;
    if (this.missed > 0) body += `\n${this.missed} more ${this.missed === 1 ? 'match' : 'matches'} since the last alert`;
    this.missed = 0;
    return { body, jump: { ruleId: this.rule.id, source: sourceId, seq: first.seq, ts: first.ts } };
  }
}
