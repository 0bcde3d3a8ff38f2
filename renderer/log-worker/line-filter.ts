// The filter in force in every view: which events are shown, which pass the query, which each highlight
// rule marks. An event is judged as a whole: it passes the query when any of its lines matches, its level and
// source are its first line's. The verdict is computed once and kept on the event, which all views share; a
// line joining the event later is tested alone and folded into it (`extend`).
import type { HeldLine } from './held-rows';
import type { FilterSpec, HighlightRule, LevelKey, MarkRange } from '../worker-channel/worker-protocol';
import { compileQuery, type TextMatcher } from './query';

export const FILTER_LIMITS = {
  /** Highlight rules tested on each line (each is a bit of the verdict); later rules mark and count nothing. */
  maxHighlightRules: 16,
  /** Ranges marked in one drawn line, the query's and every rule's together. */
  maxMarksPerLine: 100,
} as const;

/** Verdict bits: the event is in the view's filtered list. */
export const SHOWN = 1;
/** The event passes the query (a line of it matches, or none does when inverted); never set without a query. */
export const PASSES_QUERY = 2;
/** In `HeldLine.found`: the rules were not tested (the query hides the event). */
const RULES_UNTESTED = 1;
/** In `HeldLine.found`: a line of the event matches the query (before `invert`). */
const QUERY_FOUND = 2;
const FIRST_RULE_BIT = 2;
/** The verdict bit of highlight rule `rule`: a line of the event has a match of it. */
export const ruleBit = (rule: number): number => 1 << (FIRST_RULE_BIT + rule);

const LEVEL_BIT: Readonly<Record<LevelKey, number>> = { fatal: 1, error: 2, warn: 4, info: 8, debug: 16, trace: 32, none: 64 };

export const NO_FILTER: Readonly<FilterSpec> = { query: '', invert: false, mode: 'filter', hiddenLevels: [], hiddenSources: [] };

/** Each filter gets its own epoch, so a verdict kept on a line is never mistaken for a newer filter's. */
let lastEpoch = 0;

export class LineFilter {
  readonly epoch = ++lastEpoch;
  /** Why the query does not compile; nothing is then filtered by text. */
  readonly error: string | undefined;
  /** Highlight rules given, counted or not (ViewUpdate.highlightCounts has one entry per rule). */
  readonly ruleCount: number;
  private readonly query: TextMatcher | null;
  private readonly rules: (TextMatcher | null)[];
  private readonly hiddenLevelBits: number;
  private readonly hiddenSources: ReadonlySet<string>;
  private readonly invert: boolean;
  private readonly highlightMode: boolean;

  constructor(spec: Readonly<FilterSpec> = NO_FILTER, highlights: readonly HighlightRule[] = []) {
    const query = compileQuery(spec.query);
    this.error = query.kind === 'error' ? query.message : undefined;
    this.query = query.kind === 'matcher' ? query.matcher : null;
    this.ruleCount = highlights.length;
    // A rule that does not compile marks nothing; the page checks rules as they are typed.
    this.rules = highlights.slice(0, FILTER_LIMITS.maxHighlightRules).map((rule) => {
      const compiled = compileQuery(rule.query);
      return compiled.kind === 'matcher' ? compiled.matcher : null;
    });
    this.hiddenLevelBits = spec.hiddenLevels.reduce((bits, level) => bits | LEVEL_BIT[level], 0);
    this.hiddenSources = new Set(spec.hiddenSources);
    this.invert = spec.invert;
    this.highlightMode = spec.mode === 'highlight';
  }

  /** Highlight rules that are tested (and counted): the first FILTER_LIMITS.maxHighlightRules. */
  get testedRules(): number {
    return this.rules.length;
  }

  /** The verdict bits of the event `event` begins, under this filter. */
  verdict(event: HeldLine): number {
    if (event.verdictEpoch !== this.epoch) {
      event.verdictEpoch = this.epoch;
      if (this.hiddenByHead(event)) {
        event.found = 0;
        event.verdict = 0;
      } else {
        event.found = this.find(event, 0, 0);
        event.verdict = this.settle(event.found);
      }
    }
    return event.verdict;
  }

  /** The event's verdict when it has one under this filter (a view judged it), else null. */
  judged(event: HeldLine): number | null {
    return event.verdictEpoch === this.epoch ? event.verdict : null;
  }

  /** Lines `from` … of the event joined it: a verdict it has under this filter takes them in. */
  extend(event: HeldLine, from: number): void {
    if (event.verdictEpoch !== this.epoch || this.hiddenByHead(event)) return;
    event.found = this.find(event, from, event.found);
    event.verdict = this.settle(event.found);
  }

  /** Does the query or a highlight rule find something in a line of the event? */
  foundIn(event: HeldLine): boolean {
    this.verdict(event);
    return (event.found & ~RULES_UNTESTED) !== 0;
  }

  /** Does the query or a highlight rule find something in `text`? (What a folded event shows of its lines.) */
  finds(text: string): boolean {
    if (this.query?.test(text)) return true;
    for (let rule = 0; rule < this.rules.length; rule++) if (this.rules[rule]?.test(text)) return true;
    return false;
  }

  /** The query's and rules' matches in `text`, by start, or undefined when there is none. */
  marks(text: string): MarkRange[] | undefined {
    if (this.query === null && this.rules.length === 0) return undefined;
    const marks: MarkRange[] = [];
    // Marked even when inverted: in filter mode no shown line then has a match; in highlight mode the
    // marks still show what the query found.
    this.query?.collect(text, -1, marks, FILTER_LIMITS.maxMarksPerLine);
    for (let rule = 0; rule < this.rules.length; rule++) {
      this.rules[rule]?.collect(text, rule, marks, FILTER_LIMITS.maxMarksPerLine - marks.length);
    }
    if (marks.length === 0) return undefined;
    return this.rules.length === 0 ? marks : marks.sort((a, b) => a.start - b.start);
  }

  private hiddenByHead(event: HeldLine): boolean {
    // `?? 0`: a level this build does not know (a newer server) is never hidden.
    if (this.hiddenLevelBits !== 0 && (this.hiddenLevelBits & (LEVEL_BIT[event.level ?? 'none'] ?? 0)) !== 0) return true;
    return this.hiddenSources.size !== 0 && this.hiddenSources.has(event.source);
  }

  /**
   * `found` with what the query and the rules find in lines `from` … of the event. Each is tested only until
   * it is found, so a long trace costs at most a test per line for each; rules are not tested in an event
   * the query hides (as before events: a hidden line was never tested by them) until a later line shows it.
   */
  private find(event: HeldLine, from: number, found: number): number {
    const lines = event.lineCount;
    if (this.query !== null && (found & QUERY_FOUND) === 0) {
      for (let at = from; at < lines; at++) {
        if (this.query.test(event.lineAt(at).text)) {
          found |= QUERY_FOUND;
          break;
        }
      }
    }
    if (this.rules.length === 0) return found;
    if (!this.passes(found)) return found | RULES_UNTESTED;
    const start = (found & RULES_UNTESTED) !== 0 ? 0 : from;
    found &= ~RULES_UNTESTED;
    for (let at = start; at < lines; at++) {
      const text = event.lineAt(at).text;
      for (let rule = 0; rule < this.rules.length; rule++) {
        if ((found & ruleBit(rule)) === 0 && this.rules[rule]?.test(text)) found |= ruleBit(rule);
      }
    }
    return found;
  }

  /** Does the query let an event with `found` through? */
  private passes(found: number): boolean {
    return this.query === null || this.highlightMode || ((found & QUERY_FOUND) !== 0) !== this.invert;
  }

  /** The verdict of an event its level and source do not hide, from what was found in it. */
  private settle(found: number): number {
    if (!this.passes(found)) return 0;
    let verdict = SHOWN | (found & ~(QUERY_FOUND | RULES_UNTESTED));
    if (this.query !== null && ((found & QUERY_FOUND) !== 0) !== this.invert) verdict |= PASSES_QUERY;
    return verdict;
  }
}
