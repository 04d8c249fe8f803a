// The DOM of the "new password, twice" fields that the 變更密碼 form (index.html) and the reset page share,
// with the same ids on both pages: #new-password (+ #new-password-rules, the checklist that ticks as the
// person types, and #new-password-error) and #confirm-password (+ #confirm-password-error). The rules and
// checks are new_password.ts / password_policy.ts; this only draws them. Text only, never markup.

import { byId, el, type ElementSource } from './dom';
import { showFieldProblem } from './errors_view';
import type { Lang } from './i18n';
import { ruleWords, type FieldProblem, type NewPasswordField, type NewPasswordInput } from './new_password';
import { policyRules, type PasswordPolicy } from './password_policy';

export interface NewPasswordContext {
  policy: PasswordPolicy;
  /** The account the password must not contain; null where the page does not know it. */
  account: string | null;
  lang: Lang;
}

export class NewPasswordFields {
  readonly newPassword: HTMLInputElement;
  readonly confirmPassword: HTMLInputElement;
  private readonly rules: HTMLUListElement;
  private readonly newError: HTMLElement;
  private readonly confirmError: HTMLElement;
  private shown: FieldProblem | undefined;
  /** A problem the person has started to fix by typing in its field: not drawn again on a redraw. */
  private dismissed: FieldProblem | undefined;

  constructor(
    root: ElementSource,
    private readonly context: () => NewPasswordContext,
  ) {
    this.newPassword = byId<HTMLInputElement>('new-password', root);
    this.confirmPassword = byId<HTMLInputElement>('confirm-password', root);
    this.rules = byId<HTMLUListElement>('new-password-rules', root);
    this.newError = byId('new-password-error', root);
    this.confirmError = byId('confirm-password-error', root);
    const edited = (field: NewPasswordField) => (): void => {
      if (this.shown?.field === field) {
        this.dismissed = this.shown;
        this.showProblem(this.shown);
      }
      if (field === 'newPassword') this.drawRules();
    };
    this.newPassword.addEventListener('input', edited('newPassword'));
    this.confirmPassword.addEventListener('input', edited('confirmPassword'));
  }

  values(): NewPasswordInput {
    return { newPassword: this.newPassword.value, confirmPassword: this.confirmPassword.value };
  }

  clear(): void {
    this.newPassword.value = '';
    this.confirmPassword.value = '';
    this.shown = undefined;
    this.dismissed = undefined;
    this.drawRules();
    this.showProblem(undefined);
  }

  /** The checklist for what is in the field now, in the page's language. */
  drawRules(): void {
    const { policy, account, lang } = this.context();
    this.rules.replaceChildren(
      ...policyRules(this.newPassword.value, policy, account).map((rule) => {
        const words = ruleWords(rule, lang);
        const li = el('li', `rule rule--${rule.state}`);
        li.dataset['rule'] = rule.id;
        li.dataset['state'] = rule.state;
        li.append(el('span', 'visually-hidden', words.status), el('span', '', words.text));
        return li;
      }),
    );
  }

  /** The problem next to its field (the other field's message cleared). */
  showProblem(problem: FieldProblem | undefined): void {
    this.shown = problem;
    const visible = problem !== undefined && problem !== this.dismissed ? problem : undefined;
    const { lang } = this.context();
    showFieldProblem(this.newError, this.newPassword, visible?.field === 'newPassword' ? visible : undefined, lang);
    showFieldProblem(this.confirmError, this.confirmPassword, visible?.field === 'confirmPassword' ? visible : undefined, lang);
  }

  focus(field: NewPasswordField): void {
    (field === 'newPassword' ? this.newPassword : this.confirmPassword).focus();
  }
}
