// The Alerts dialog of the desktop app: the rules that raise a desktop notification (a log line matching a
// pattern, a metric staying high), each one switched on or off, edited or deleted. Every change is stored at
// once through the bridge, which answers the rules as stored or refuses them with a reason shown here.
import './alerts-dialog.css';
import type { AlertRule } from '../../protocol/desktop-ipc';
import { dialogBody, dialogHeader } from '../services/dialog-header';
import { button, errorLine } from '../services/form-controls';
import type { SourceDirectory } from '../services/source-directory';
import { buildRuleForm, METRIC_CHOICES, newLineRule, newMetricRule } from './alert-rule-form';
import { bridgeErrorMessage, type TailwatchBridge } from './bridge';

export class AlertsDialog {
  private rules: AlertRule[] = [];
  private readonly body = dialogBody();
  private readonly error = errorLine();

  constructor(
    private readonly dialog: HTMLDialogElement,
    private readonly bridge: TailwatchBridge,
    private readonly sources: SourceDirectory,
  ) {
    dialog.classList.add('alerts-dialog');
    dialog.replaceChildren(dialogHeader('alerts-title', 'Alerts', dialog), this.body);
  }

  /** Shows the dialog with the rules as the app has them now (already open, it stays as it is: a form may be half filled). */
  async open(): Promise<void> {
    if (this.dialog.open) return;
    this.error.show(null);
    try {
      this.rules = await this.bridge.getAlerts();
    } catch (error) {
      this.rules = [];
      this.error.show(`The alerts could not be read: ${bridgeErrorMessage(error)}`);
    }
    this.showList();
    this.dialog.showModal();
  }

  /** The list of rules; focus goes to the switch of `focusRule` when it is still there. */
  private showList(focusRule?: string): void {
    const intro = document.createElement('p');
    intro.className = 'hint';
    intro.textContent = 'A desktop notification when a log line matches a pattern, or when a metric stays high. Clicking it shows the line in the log.';
    const list = document.createElement('ul');
    list.className = 'alert-list';
    list.append(...this.rules.map((rule) => this.row(rule)));
    const empty = document.createElement('p');
    empty.className = 'alert-empty';
    empty.textContent = 'No alerts yet.';
    empty.hidden = this.rules.length > 0;
    const addLine = button('Add log line alert…');
    addLine.addEventListener('click', () => this.edit(newLineRule(), true));
    const addMetric = button('Add metric alert…');
    addMetric.addEventListener('click', () => this.edit(newMetricRule(), true));
    const actions = document.createElement('div');
    actions.className = 'form-actions';
    actions.append(addLine, addMetric);
    this.body.replaceChildren(intro, list, empty, this.error.element, actions);
    const again = focusRule === undefined ? null : list.querySelector<HTMLElement>(`.alert-rule[data-rule="${CSS.escape(focusRule)}"] input`);
    (again ?? addLine).focus();
  }

  private row(rule: AlertRule): HTMLLIElement {
    const row = document.createElement('li');
    row.className = 'alert-rule';
    row.dataset.rule = rule.id;
    const enabled = document.createElement('input');
    enabled.type = 'checkbox';
    enabled.setAttribute('role', 'switch');
    enabled.checked = rule.enabled;
    enabled.setAttribute('aria-label', `Enabled: ${rule.name}`);
    enabled.addEventListener('change', () => void this.store(this.rules.map((r) => (r.id === rule.id ? { ...r, enabled: enabled.checked } : r)), rule.id));
    const text = document.createElement('div');
    text.className = 'alert-text';
    const name = document.createElement('span');
    name.className = 'alert-name';
    name.textContent = rule.name;
    const summary = document.createElement('span');
    summary.className = 'alert-summary';
    summary.textContent = this.summary(rule);
    text.append(name, summary);
    const edit = button('Edit');
    edit.setAttribute('aria-label', `Edit ${rule.name}`);
    edit.addEventListener('click', () => this.edit(rule, false));
    const remove = button('Delete');
    remove.setAttribute('aria-label', `Delete ${rule.name}`);
    remove.addEventListener('click', () => void this.store(this.rules.filter((r) => r.id !== rule.id)));
    row.append(enabled, text, edit, remove);
    return row;
  }

  private summary(rule: AlertRule): string {
    const quiet = `quiet for ${rule.cooldownSeconds} s after each`;
    if (rule.kind === 'metric') {
      const metric = METRIC_CHOICES.find((choice) => choice.value === rule.metric);
      const unit = metric?.unit === '%' ? ' %' : '';
      return `${metric?.label ?? rule.metric} above ${rule.above}${unit} for ${rule.forSeconds} s · ${quiet}`;
    }
    const where = rule.sources.length === 0 ? 'every source' : rule.sources.map((id) => this.sources.nameOf(id)).join(', ');
    return `Lines matching /${rule.pattern}/${rule.flags} in ${where} · ${quiet}`;
  }

  private edit(rule: AlertRule, isNew: boolean): void {
    this.error.show(null);
    const form = buildRuleForm(rule, isNew, this.sources.list(), {
      save: async (edited) => {
        const next = isNew ? [...this.rules, edited] : this.rules.map((r) => (r.id === edited.id ? edited : r));
        const refused = await this.save(next);
        if (refused === null) this.showList();
        return refused;
      },
      cancel: () => this.showList(),
    });
    this.body.replaceChildren(form);
  }

  /**
   * Stores `rules` from the list view: the list then shows what is stored, with a refusal above its buttons,
   * and keyboard focus back on the rule that was switched.
   */
  private async store(rules: AlertRule[], focusRule?: string): Promise<void> {
    // One change at a time: a second one made meanwhile would start from rules that are about to change.
    for (const control of this.body.querySelectorAll<HTMLInputElement | HTMLButtonElement>('input, button')) control.disabled = true;
    const refused = await this.save(rules);
    this.showList(focusRule);
    this.error.show(refused);
  }

  /** Why the app refused `rules`, or null once they are stored (and `this.rules` is what it stored). */
  private async save(rules: AlertRule[]): Promise<string | null> {
    try {
      this.rules = await this.bridge.setAlerts(rules);
      return null;
    } catch (error) {
      return bridgeErrorMessage(error);
    }
  }
}
