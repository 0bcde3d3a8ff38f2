// The filter in force in every view: which lines are shown, which pass the query, which each highlight
// rule marks. Its verdict on a line is computed once and kept on the line, which all views share.
import type { HeldLine } from './held-rows';
import type { FilterSpec, HighlightRule, LevelKey, MarkRange } from '../worker-channel/worker-protocol';
import { compileQuery, type TextMatcher } from './query';

export const FILTER_LIMITS = {
  /** Highlight rules tested on each line (each is a bit of the verdict); later rules mark and count nothing. */
  maxHighlightRules: 16,
  /** Ranges marked in one drawn line, the query's and every rule's together. */
  maxMarksPerLine: 100,
} as const;

/** Verdict bits: the line is in the view's filtered list. */
export const SHOWN = 1;
/** The line passes the query (matches it, or does not when inverted); never set without a query. */
export const PASSES_QUERY = 2;
const FIRST_RULE_BIT = 2;
/** The verdict bit of highlight rule `rule`: the line has a match of it. */
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

  /** The verdict bits of `line` under this filter. */
  verdict(line: HeldLine): number {
    if (line.verdictEpoch !== this.epoch) {
      line.verdict = this.judge(line);
      line.verdictEpoch = this.epoch;
    }
    return line.verdict;
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

  private judge(line: HeldLine): number {
    // `?? 0`: a level this build does not know (a newer server) is never hidden.
    if (this.hiddenLevelBits !== 0 && (this.hiddenLevelBits & (LEVEL_BIT[line.level ?? 'none'] ?? 0)) !== 0) return 0;
    if (this.hiddenSources.size !== 0 && this.hiddenSources.has(line.source)) return 0;
    let verdict = SHOWN;
    if (this.query !== null) {
      if (this.query.test(line.text) !== this.invert) verdict |= PASSES_QUERY;
      else if (!this.highlightMode) return 0;
    }
    for (let rule = 0; rule < this.rules.length; rule++) {
      if (this.rules[rule]?.test(line.text)) verdict |= ruleBit(rule);
    }
    return verdict;
  }
}
