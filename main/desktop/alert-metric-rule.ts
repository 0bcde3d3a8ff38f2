// One metric alert rule at work: is the value above its threshold, since when, and has this episode been told.

import type { AlertJump, AlertMetric, MetricAlertRule } from '../../protocol/desktop-ipc';
import type { FsMetrics, MetricsData } from '../../protocol/events';
import { formatDuration } from './alert-text';

/**
 * Samples further apart than this restart the duration: across a gap (the machine asleep, the sampler
 * stalled) nothing says the value stayed above, and "CPU 95% for an hour" after a laptop slept for an hour
 * at 95% would be a guess. The sampler runs every second, so 5 s is several missed samples.
 */
const METRIC_GAP_MS = 5000;

interface MetricReading {
  /** What the notification calls it: `CPU`, `Memory`, `Load`, `Disk /var`. */
  label: string;
  value: number;
  unit: '%' | '';
}

/** A rule's metric in a sample; null when the sample does not have it (no file system, no memory total). */
function readMetric(sample: MetricsData, metric: AlertMetric): MetricReading | null {
  switch (metric) {
    case 'cpu':
      return { label: 'CPU', value: sample.cpu.total, unit: '%' };
    case 'memory':
      return sample.mem.total > 0 ? { label: 'Memory', value: (sample.mem.used / sample.mem.total) * 100, unit: '%' } : null;
    case 'load':
      return sample.load.length > 0 ? { label: 'Load', value: sample.load[0]!, unit: '' } : null;
    case 'disk': {
      let fullest: FsMetrics | undefined;
      for (const fs of sample.fs) if (!fullest || fs.usedPercent > fullest.usedPercent) fullest = fs;
      return fullest ? { label: `Disk ${fullest.mount}`, value: fullest.usedPercent, unit: '%' } : null;
    }
  }
}

export interface MetricAlert {
  body: string;
  jump: AlertJump;
}

export class MetricRuleWatch {
  /** Sample time the value went above the threshold in this episode; null while at or below it. */
  private aboveSince: number | null = null;
  private lastSampleTs: number | null = null;
  /** This episode has been told: the rule re-arms once the value is back at or below the threshold. */
  private told = false;
  /** Wall-clock ms before which the rule does not notify again. */
  private quietUntil = -Infinity;

  constructor(readonly rule: MetricAlertRule) {}

  onSample(sample: MetricsData, now: number): MetricAlert | null {
    const reading = readMetric(sample, this.rule.metric);
    // A sample without the metric changes nothing: if they go on, the gap rule restarts the duration.
    if (reading === null || !Number.isFinite(reading.value)) return null;
    const { ts } = sample;
    // A clock set back is a gap too: durations across it mean nothing.
    const gap = this.lastSampleTs !== null && (ts - this.lastSampleTs > METRIC_GAP_MS || ts < this.lastSampleTs);
    this.lastSampleTs = ts;
    if (reading.value <= this.rule.above) {
      this.aboveSince = null;
      this.told = false;
      return null;
    }
    // A gap does not re-arm a told episode: nothing says the value went down in between.
    if (this.aboveSince === null || gap) this.aboveSince = ts;
    const lasted = ts - this.aboveSince;
    if (this.told || lasted < this.rule.forSeconds * 1000 || now < this.quietUntil) return null;
    this.told = true;
    this.quietUntil = now + this.rule.cooldownSeconds * 1000;
    const value = reading.unit === '%' ? Math.round(reading.value) : round2(reading.value);
    // A rule with forSeconds 0 fires on the first sample above: "for 0 s" would be noise.
    const during = lasted >= 1000 ? ` for ${formatDuration(lasted)}` : '';
    return {
      body: `${reading.label} ${value}${reading.unit}${during} (above ${this.rule.above}${reading.unit})`,
      jump: { ruleId: this.rule.id, ts: this.aboveSince },
    };
  }
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
