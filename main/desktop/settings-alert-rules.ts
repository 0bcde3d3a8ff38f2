// The check of alert rules, wherever they come from (the page over IPC, the settings file): every field
// of every rule, each problem named with the rule, and only clean copies of the good rules kept.
import type { AlertMetric, AlertRule } from '../../protocol/desktop-ipc';

const ALERT_RULE_LIMITS = Object.freeze({
  /** Rules at most: every log line is matched against every enabled line rule. */
  rules: 200,
  /** Characters in a line rule's pattern: long enough for any real alternation, short enough to read in the dialog. */
  patternChars: 1000,
  /** Characters in a rule's name: it is a notification's title. */
  nameChars: 200,
  idChars: 100,
  /** Wire sources one line rule may name: as many as the core follows by default (--max-files). */
  ruleSources: 1000,
  /** A day: a longer silence is the same as turning the rule off. */
  cooldownSeconds: 86_400,
  /** A metric must stay above its threshold from 1 second to an hour before the rule fires. */
  forSecondsMin: 1,
  forSecondsMax: 3_600,
  /** cpu, memory and disk are percentages. */
  percentMax: 100,
});

const METRICS: readonly AlertMetric[] = ['cpu', 'memory', 'load', 'disk'];
const PERCENT_METRICS: ReadonlySet<AlertMetric> = new Set(['cpu', 'memory', 'disk']);
/**
 * i, s and u only: g and y make `test()` remember where it stopped (lastIndex), so the same line would
 * match or not by turns; m means nothing for one line; d and v change nothing an alert needs.
 */
const ALLOWED_FLAGS = 'isu';

/** The good rules, and one message per bad rule naming it and every problem it has. */
export function validateAlertRules(input: unknown): { rules: AlertRule[]; errors: string[] } {
  if (!Array.isArray(input)) return { rules: [], errors: [`alert rules: expected a list, got ${typeName(input)}`] };
  const errors: string[] = [];
  if (input.length > ALERT_RULE_LIMITS.rules) {
    errors.push(`alert rules: at most ${ALERT_RULE_LIMITS.rules}, got ${input.length}; the rest are dropped`);
  }
  const rules: AlertRule[] = [];
  const idsSeen = new Map<string, number>();
  input.slice(0, ALERT_RULE_LIMITS.rules).forEach((raw: unknown, index) => {
    const position = index + 1;
    const checked = checkRule(raw);
    const named = typeof checked.name === 'string' && checked.name !== '' ? ` ("${checked.name.slice(0, 60)}")` : '';
    if (checked.rule) {
      const earlier = idsSeen.get(checked.rule.id);
      if (earlier === undefined) {
        idsSeen.set(checked.rule.id, position);
        rules.push(checked.rule);
        return;
      }
      checked.problems.push(`id "${checked.rule.id}" is already used by alert rule ${earlier}`);
    }
    errors.push(`alert rule ${position}${named}: ${checked.problems.join('; ')}`);
  });
  return { rules, errors };
}

/** One rule's fields, read with a note of every problem; `rule` only when there is none. */
function checkRule(raw: unknown): { rule: AlertRule | null; name: unknown; problems: string[] } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { rule: null, name: undefined, problems: [`expected an object, got ${typeName(raw)}`] };
  }
  const fields = new FieldReader(raw as Record<string, unknown>);
  const base = {
    id: fields.string('id', 1, ALERT_RULE_LIMITS.idChars),
    name: fields.string('name', 0, ALERT_RULE_LIMITS.nameChars),
    enabled: fields.boolean('enabled'),
    cooldownSeconds: fields.number('cooldownSeconds', 0, ALERT_RULE_LIMITS.cooldownSeconds),
  };
  const kind = fields.oneOf('kind', ['line', 'metric'] as const);
  let rule: AlertRule | null = null;
  if (kind === 'line') {
    const pattern = fields.string('pattern', 1, ALERT_RULE_LIMITS.patternChars);
    const flags = fields.flags('flags');
    const sources = fields.stringList('sources', ALERT_RULE_LIMITS.ruleSources, ALERT_RULE_LIMITS.idChars);
    if (pattern !== null && flags !== null) fields.compiles(pattern, flags);
    rule = { ...base, kind, pattern: pattern ?? '', flags: flags ?? '', sources: sources ?? [] } as AlertRule;
  } else if (kind === 'metric') {
    const metric = fields.oneOf('metric', METRICS);
    const max = metric !== null && PERCENT_METRICS.has(metric) ? ALERT_RULE_LIMITS.percentMax : Number.MAX_VALUE;
    const above = fields.number('above', 0, max);
    const forSeconds = fields.number('forSeconds', ALERT_RULE_LIMITS.forSecondsMin, ALERT_RULE_LIMITS.forSecondsMax);
    rule = { ...base, kind, metric, above, forSeconds } as AlertRule;
  }
  // With no problem noted, every field read above holds a checked value (none is null).
  return { rule: fields.problems.length === 0 ? rule : null, name: base.name, problems: fields.problems };
}

/** Reads fields of an untrusted object: a value of the right type and range, or null and a problem noted. */
class FieldReader {
  readonly problems: string[] = [];

  constructor(private readonly raw: Record<string, unknown>) {}

  string(key: string, minChars: number, maxChars: number): string | null {
    const value = this.raw[key];
    if (typeof value === 'string' && value.length >= minChars && value.length <= maxChars) return value;
    const want = minChars > 0 ? `a string of ${minChars} to ${maxChars} characters` : `a string of at most ${maxChars} characters`;
    return this.bad(key, want, value);
  }

  boolean(key: string): boolean | null {
    const value = this.raw[key];
    return typeof value === 'boolean' ? value : this.bad(key, 'true or false', value);
  }

  /** A finite number from `min` to `max`. */
  number(key: string, min: number, max: number): number | null {
    const value = this.raw[key];
    if (typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max) return value;
    return this.bad(key, max === Number.MAX_VALUE ? `a number of at least ${min}` : `a number from ${min} to ${max}`, value);
  }

  oneOf<T extends string>(key: string, allowed: readonly T[]): T | null {
    const value = this.raw[key];
    return allowed.includes(value as T) ? (value as T) : this.bad(key, `one of ${allowed.join(', ')}`, value);
  }

  stringList(key: string, maxItems: number, maxChars: number): string[] | null {
    const value = this.raw[key];
    if (Array.isArray(value) && value.length <= maxItems && value.every((v) => typeof v === 'string' && v.length > 0 && v.length <= maxChars)) {
      return [...(value as string[])];
    }
    return this.bad(key, `a list of at most ${maxItems} ids (strings of 1 to ${maxChars} characters)`, value);
  }

  flags(key: string): string | null {
    const value = this.raw[key];
    if (typeof value === 'string' && [...value].every((c, i) => ALLOWED_FLAGS.includes(c) && value.indexOf(c) === i)) return value;
    return this.bad(key, `any of the letters ${[...ALLOWED_FLAGS].join(', ')}, each at most once`, value);
  }

  compiles(pattern: string, flags: string): void {
    try {
      new RegExp(pattern, flags);
    } catch (err) {
      this.problems.push(`pattern is not a valid regular expression: ${(err as Error).message}`);
    }
  }

  private bad(key: string, want: string, got: unknown): null {
    this.problems.push(`${key} must be ${want}, got ${shown(got)}`);
    return null;
  }
}

/** A value in an error message: short, and never the whole of a huge string or list. */
function shown(value: unknown): string {
  switch (typeof value) {
    case 'number':
    case 'boolean':
      return String(value);
    case 'string':
      return value.length > 40 ? `${JSON.stringify(value.slice(0, 40))}… (${value.length} characters)` : JSON.stringify(value);
    default:
      return Array.isArray(value) ? `a list of ${value.length}` : typeName(value);
  }
}

function typeName(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
