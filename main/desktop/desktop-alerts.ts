// The desktop's alerts, wired: live lines and metrics samples from the core go through the alert engine,
// and what fires becomes a notification. Only live lines count: a folder added at runtime hands its
// backfill through the same tap, and old errors must not ring as new ones.
import type { AlertRule } from '../../protocol/desktop-ipc';
import type { LogLine, MetricsData, SourceInfo } from '../../protocol/events';
import { AlertEngine, type AlertFired } from './alert-engine';

export interface AlertFeed {
  onLines(listener: (source: SourceInfo | undefined, sourceId: string, lines: readonly LogLine[], live: boolean) => void): () => void;
  onMetrics(listener: (sample: MetricsData) => void): () => void;
}

export interface DesktopAlertsOptions {
  core: AlertFeed;
  rules: readonly AlertRule[];
  notify(fired: AlertFired): void;
  warn(message: string): void;
}

export class DesktopAlerts {
  private readonly engine: AlertEngine;
  private readonly stops: (() => void)[];

  constructor({ core, rules, notify, warn }: DesktopAlertsOptions) {
    this.engine = new AlertEngine({ onWarning: (w) => warn(`alert "${w.rule.name}": ${w.message}`) });
    this.engine.setRules(rules);
    const fire = (fired: AlertFired[]) => {
      for (const f of fired) notify(f);
    };
    this.stops = [
      core.onLines((source, sourceId, lines, live) => {
        if (live) fire(this.engine.onLines(sourceId, source?.name ?? sourceId, lines));
      }),
      core.onMetrics((sample) => fire(this.engine.onMetrics(sample))),
    ];
  }

  setRules(rules: readonly AlertRule[]): void {
    this.engine.setRules(rules);
  }

  close(): void {
    for (const stop of this.stops) stop();
  }
}
