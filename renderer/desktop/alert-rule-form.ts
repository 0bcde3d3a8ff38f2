// The form that edits one alert rule: a line rule (name, pattern, case, which sources) or a metric rule
// (which metric, above what, for how long), with the cooldown and the enabled switch both share. What the
// browser can check (required, numbers, the pattern compiling) is checked here; the main process checks again.
import type { AlertMetric, AlertRule, LineAlertRule, MetricAlertRule } from '../../protocol/desktop-ipc';
import type { SourceInfo } from '../../protocol/events';
import { button, checkbox, errorLine, labelled, numberInput, select, textInput, uniqueId } from '../services/form-controls';

export const METRIC_CHOICES: readonly { value: AlertMetric; label: string; unit: string }[] = [
  { value: 'cpu', label: 'CPU use', unit: '%' },
  { value: 'memory', label: 'Memory use', unit: '%' },
  { value: 'load', label: 'Load average (1 minute)', unit: '' },
  { value: 'disk', label: 'Fullest disk', unit: '%' },
];

/** A new rule's starting values: quiet enough not to flood the user's notifications. */
const NEW_RULE = { cooldownSeconds: 60, metricAbove: 90, metricForSeconds: 60 } as const;
const MAX_NAME_CHARS = 120;

export function newLineRule(): LineAlertRule {
  return { id: crypto.randomUUID(), kind: 'line', name: '', enabled: true, cooldownSeconds: NEW_RULE.cooldownSeconds, pattern: '', flags: 'i', sources: [] };
}

export function newMetricRule(): MetricAlertRule {
  return {
    id: crypto.randomUUID(),
    kind: 'metric',
    name: '',
    enabled: true,
    cooldownSeconds: NEW_RULE.cooldownSeconds,
    metric: 'cpu',
    above: NEW_RULE.metricAbove,
    forSeconds: NEW_RULE.metricForSeconds,
  };
}

interface RuleFormHandlers {
  /** Stores the rule; resolves with why it was refused, or null once stored. */
  save(rule: AlertRule): Promise<string | null>;
  cancel(): void;
}

/**
 * A form for `rule` (the rule itself is not changed: save gets an edited copy); `sources` are the wire sources
 * a line rule can be limited to.
 */
export function buildRuleForm(rule: AlertRule, isNew: boolean, sources: readonly SourceInfo[], handlers: RuleFormHandlers): HTMLFormElement {
  const form = document.createElement('form');
  form.className = 'alert-form';
  const heading = document.createElement('h3');
  heading.textContent = `${isNew ? 'New' : 'Edit'} ${rule.kind === 'line' ? 'log line' : 'metric'} alert`;
  const name = textInput({ value: rule.name, required: true, maxLength: MAX_NAME_CHARS });
  name.autocomplete = 'off';
  const kindFields = rule.kind === 'line' ? lineFields(rule, sources) : metricFields(rule);
  const cooldown = numberInput(rule.cooldownSeconds, { min: 0 });
  const enabled = checkbox('Enabled', { checked: rule.enabled });
  const error = errorLine();
  const save = button('Save alert', 'tool primary');
  save.type = 'submit';
  const cancel = button('Cancel');
  cancel.addEventListener('click', () => handlers.cancel());
  const actions = document.createElement('div');
  actions.className = 'form-actions';
  actions.append(save, cancel);

  form.append(
    heading,
    labelled('Name', name, 'Shown as the notification’s title.'),
    ...kindFields.elements,
    labelled('Cooldown (seconds)', cooldown, 'After a notification, this alert stays quiet for this long.'),
    enabled.row,
    error.element,
    actions,
  );

  // Submitting never navigates (the page's CSP has form-action 'none'): it is handled here.
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    error.show(null);
    name.setCustomValidity(name.value.trim() === '' ? 'Give the alert a name.' : '');
    kindFields.check();
    if (!form.reportValidity()) return;
    const edited = {
      id: rule.id,
      name: name.value.trim(),
      enabled: enabled.input.checked,
      cooldownSeconds: cooldown.valueAsNumber,
      ...kindFields.read(),
    } as AlertRule;
    for (const control of form.elements) (control as HTMLInputElement).disabled = true;
    void handlers.save(edited).then((refused) => {
      if (refused === null) return;
      for (const control of form.elements) (control as HTMLInputElement).disabled = false;
      kindFields.sync();
      error.show(refused);
    });
  });
  // Once the caller has put the form in its dialog.
  queueMicrotask(() => name.focus());
  return form;
}

interface KindFields {
  elements: HTMLElement[];
  /** Sets the custom validity messages the browser cannot work out itself. */
  check(): void;
  read(): Omit<LineAlertRule, 'id' | 'name' | 'enabled' | 'cooldownSeconds'> | Omit<MetricAlertRule, 'id' | 'name' | 'enabled' | 'cooldownSeconds'>;
  /** Re-applies what depends on other controls (after every control was enabled again). */
  sync(): void;
}

function lineFields(rule: LineAlertRule, sources: readonly SourceInfo[]): KindFields {
  const pattern = textInput({ value: rule.pattern, required: true, mono: true });
  pattern.placeholder = 'timeout|connection refused';
  const ignoreCase = checkbox('Ignore case', { checked: rule.flags.includes('i') });
  // Flags other than `i` (s, u) have no control here but are kept.
  const otherFlags = rule.flags.replace(/i/g, '');

  const group = document.createElement('fieldset');
  group.className = 'form-group alert-sources';
  const legend = document.createElement('legend');
  legend.textContent = 'In which logs';
  const radioName = uniqueId('alert-sources');
  const all = radio(radioName, 'Every source', rule.sources.length === 0);
  const some = radio(radioName, 'Only these:', rule.sources.length > 0);
  const choices = document.createElement('div');
  choices.className = 'alert-source-choices';
  // A rule may name a source the server no longer reports: it stays listed (by id) so saving does not drop it.
  const known = new Map(sources.map((source) => [source.id, source]));
  const ids = [...sources.map((source) => source.id), ...rule.sources.filter((id) => !known.has(id))];
  const boxes = ids.map((id) => {
    const info = known.get(id);
    const box = checkbox(info?.name ?? id, { checked: rule.sources.includes(id) });
    box.input.value = id;
    if (info !== undefined) box.row.title = info.path;
    return box;
  });
  if (boxes.length === 0) choices.append(hint('No sources yet: the alert applies to every source.'));
  choices.append(...boxes.map((box) => box.row));
  const sync = (): void => {
    some.input.disabled = boxes.length === 0;
    for (const box of boxes) box.input.disabled = !some.input.checked;
  };
  all.input.addEventListener('change', sync);
  some.input.addEventListener('change', sync);
  sync();
  group.append(legend, all.row, some.row, choices);

  return {
    elements: [labelled('Pattern (regular expression)', pattern, 'Any line that matches it raises the alert.'), ignoreCase.row, group],
    check() {
      pattern.setCustomValidity(regexProblem(pattern.value, flagsOf(ignoreCase.input.checked, otherFlags)) ?? '');
      const none = some.input.checked && !boxes.some((box) => box.input.checked);
      boxes[0]?.input.setCustomValidity(none ? 'Choose at least one source, or Every source.' : '');
    },
    read: () => ({
      kind: 'line',
      pattern: pattern.value,
      flags: flagsOf(ignoreCase.input.checked, otherFlags),
      sources: some.input.checked ? boxes.filter((box) => box.input.checked).map((box) => box.input.value) : [],
    }),
    sync,
  };
}

function metricFields(rule: MetricAlertRule): KindFields {
  const metric = select(METRIC_CHOICES, rule.metric);
  const above = numberInput(rule.above, { min: 0, step: 'any' });
  const unit = document.createElement('span');
  unit.className = 'unit';
  const showUnit = (): void => {
    const choice = METRIC_CHOICES.find((c) => c.value === metric.value);
    unit.textContent = choice?.unit ?? '';
    above.max = choice?.unit === '%' ? '100' : '';
  };
  metric.addEventListener('change', showUnit);
  showUnit();
  const aboveRow = document.createElement('div');
  aboveRow.className = 'with-unit';
  aboveRow.append(above, unit);
  const forSeconds = numberInput(rule.forSeconds, { min: 0 });
  return {
    elements: [labelled('Metric', metric), labelled('Above', aboveRow, undefined, above), labelled('For at least (seconds)', forSeconds, 'A short spike raises nothing.')],
    check() {},
    read: () => ({ kind: 'metric', metric: metric.value as AlertMetric, above: above.valueAsNumber, forSeconds: forSeconds.valueAsNumber }),
    sync() {},
  };
}

function radio(name: string, label: string, checked: boolean): { row: HTMLElement; input: HTMLInputElement } {
  const input = document.createElement('input');
  input.type = 'radio';
  input.name = name;
  input.checked = checked;
  const row = document.createElement('div');
  row.className = 'form-check';
  const text = document.createElement('label');
  text.append(input, ` ${label}`);
  row.append(text);
  return { row, input };
}

function hint(text: string): HTMLElement {
  const element = document.createElement('p');
  element.className = 'form-hint';
  element.textContent = text;
  return element;
}

function flagsOf(ignoreCase: boolean, others: string): string {
  return (ignoreCase ? 'i' : '') + others;
}

/** Why `pattern` is no regular expression, in the browser's words; null when it is one. */
function regexProblem(pattern: string, flags: string): string | null {
  try {
    new RegExp(pattern, flags);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}
