// Desktop alerts: which rules fire on the log lines and metrics samples the app receives, as notifications for
// the shell to show. Electron-free; state is per rule only, so memory does not grow with lines or time.

import { performance } from 'node:perf_hooks';
import type { AlertJump, AlertRule } from '../../protocol/desktop-ipc';
import type { LogLine, MetricsData } from '../../protocol/events';
import { compileLinePattern, LineRuleWatch, type RulePause } from './alert-line-rule';
import { MetricRuleWatch } from './alert-metric-rule';

export interface AlertFired {
  rule: AlertRule;
  title: string;
  body: string;
  jump: AlertJump;
}

/** A rule that does not run (`bad-pattern`) or was paused for a while (`too-slow`). */
export interface AlertWarning {
  code: 'bad-pattern' | 'too-slow';
  rule: AlertRule;
  message: string;
  /** `too-slow`: wall-clock ms when the rule runs again. */
  until?: number;
}

export interface AlertEngineOptions {
  /** Wall-clock ms, for cooldowns and pauses (default Date.now). */
  now?: () => number;
  /** A high-resolution ms clock, to measure what each pattern costs (default performance.now). */
  stopwatch?: () => number;
  /** Time one line rule's pattern may take per second before the rule is paused (default 50 ms). */
  patternBudgetMs?: number;
  /** How long a rule over its budget stays paused (default 300 s). */
  pauseSeconds?: number;
  /** Rules that do not run or were paused: the shell logs them and tells the user. */
  onWarning?: (warning: AlertWarning) => void;
}

const ALERT_DEFAULTS = { patternBudgetMs: 50, pauseSeconds: 300 } as const;

export class AlertEngine {
  private readonly now: () => number;
  private readonly stopwatch: () => number;
  private readonly budget: { msPerSecond: number; pauseMs: number };
  private readonly onWarning: (warning: AlertWarning) => void;
  private lineWatches: LineRuleWatch[] = [];
  private metricWatches: MetricRuleWatch[] = [];

  constructor(options: AlertEngineOptions = {}) {
    this.now = options.now ?? Date.now;
    this.stopwatch = options.stopwatch ?? (() => performance.now());
    const budgetMs = options.patternBudgetMs ?? ALERT_DEFAULTS.patternBudgetMs;
    const pauseSeconds = options.pauseSeconds ?? ALERT_DEFAULTS.pauseSeconds;
    if (!(budgetMs > 0 && budgetMs < 1000)) throw new RangeError(`patternBudgetMs: expected 0 < ms < 1000, got ${budgetMs}`);
    if (!(pauseSeconds >= 1 && Number.isFinite(pauseSeconds))) throw new RangeError(`pauseSeconds: expected at least 1, got ${pauseSeconds}`);
    this.budget = { msPerSecond: budgetMs, pauseMs: pauseSeconds * 1000 };
    this.onWarning = options.onWarning ?? (() => {});
  }

  /**
   * Replaces the rules. A rule that is unchanged keeps its state (cooldown, pause, metric episode), so saving
   * the alerts dialog neither repeats a notification nor resumes a paused rule; an edited rule starts afresh.
   */
  setRules(rules: readonly AlertRule[]): void {
    const before = new Map<string, LineRuleWatch | MetricRuleWatch>();
    for (const w of [...this.lineWatches, ...this.metricWatches]) before.set(w.rule.id, w);
    const lines: LineRuleWatch[] = [];
    const metrics: MetricRuleWatch[] = [];
    for (const rule of rules) {
      if (!rule.enabled) continue;
      const kept = before.get(rule.id);
      // The same store writes every rule, so its JSON has one key order: equal JSON is an unchanged rule.
      if (kept && JSON.stringify(kept.rule) === JSON.stringify(rule)) {
        if (kept instanceof LineRuleWatch) lines.push(kept);
        else metrics.push(kept);
      } else if (rule.kind === 'metric') {
        metrics.push(new MetricRuleWatch(rule));
      } else {
        const pattern = compileLinePattern(rule);
        if (typeof pattern === 'string') {
          this.onWarning({ code: 'bad-pattern', rule, message: `alert rule "${rule.name}" does not run: ${pattern}` });
        } else {
          lines.push(new LineRuleWatch(rule, pattern, this.budget));
        }
      }
    }
    this.lineWatches = lines;
    this.metricWatches = metrics;
  }

  /** Lines read from one source: at most one notification per rule for the whole call. */
  onLines(sourceId: string, sourceName: string, lines: readonly LogLine[]): AlertFired[] {
    const fired: AlertFired[] = [];
    if (lines.length === 0) return fired;
    const now = this.now();
    for (const watch of this.lineWatches) {
      const match = watch.scan(sourceId, sourceName, lines, now, this.stopwatch, (pause: RulePause) =>
        this.onWarning({ code: 'too-slow', rule: watch.rule, message: pause.message, until: pause.until }),
      );
      if (match) fired.push({ rule: watch.rule, title: title(watch.rule), ...match });
    }
    return fired;
  }

  onMetrics(sample: MetricsData): AlertFired[] {
    const fired: AlertFired[] = [];
    const now = this.now();
    for (const watch of this.metricWatches) {
      const alert = watch.onSample(sample, now);
      if (alert) fired.push({ rule: watch.rule, title: title(watch.rule), ...alert });
    }
    return fired;
  }
}

function title(rule: AlertRule): string {
  return `tailwatch: ${rule.name}`;
}
