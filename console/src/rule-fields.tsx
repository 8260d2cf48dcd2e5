import { JUSTIFICATIONS, REASONS } from './rules';

/** The reason, VEX justification, note and expiry of a new suppression rule, as form fields. */

export interface RuleFieldValues {
  reason: string;
  justification: string;
  statement: string;
  expires: string;
}

export const EMPTY_RULE_FIELDS: RuleFieldValues = { reason: 'accepted_risk', justification: 'vulnerable_code_not_in_execute_path', statement: '', expires: '' };

export function RuleFields({ prefix, values, onChange }: { prefix: string; values: RuleFieldValues; onChange: (v: RuleFieldValues) => void }) {
  const set = (k: keyof RuleFieldValues) => (e: Event) => onChange({ ...values, [k]: (e.target as HTMLInputElement).value });
  return (
    <>
      <div class="field">
        <label for={`${prefix}-reason`}>Reason</label>
        <select id={`${prefix}-reason`} name="reason" value={values.reason} onChange={set('reason')}>
          {REASONS.map(([v, l]) => (
            <option key={v} value={v}>
              {l}
            </option>
          ))}
        </select>
      </div>
      {values.reason === 'not_affected' ? (
        <div class="field">
          <label for={`${prefix}-justification`}>VEX justification</label>
          <select id={`${prefix}-justification`} name="justification" value={values.justification} onChange={set('justification')}>
            {JUSTIFICATIONS.map(([v, l]) => (
              <option key={v} value={v}>
                {l}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      <div class="field wide">
        <label for={`${prefix}-statement`}>Note</label>
        <input id={`${prefix}-statement`} name="statement" maxLength={2000} value={values.statement} onInput={set('statement')} />
      </div>
      <div class="field">
        <label for={`${prefix}-expires`}>Expires (optional)</label>
        <input id={`${prefix}-expires`} name="expires" type="date" value={values.expires} onInput={set('expires')} />
      </div>
    </>
  );
}
