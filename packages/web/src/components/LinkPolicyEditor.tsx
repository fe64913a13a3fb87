/**
 * Links in chat (controls C6, C10): blocked, held for a moderator's approval, or allowed to a list
 * of domains (only `https:` links to them become clickable). The host edits the list here.
 */
import { useState, type FormEvent, type ReactElement } from 'react';
import { AllowedDomain, type LinkPolicy, type MeetingSettingsPatch } from '@parley/protocol';

const POLICIES: { value: LinkPolicy; label: string; hint: string }[] = [
  { value: 'block', label: 'Block', hint: 'Messages with links are refused' },
  { value: 'hold', label: 'Hold for approval', hint: 'A moderator approves each message with a link' },
  { value: 'allow', label: 'Allow listed domains', hint: 'Only https links to these domains are clickable' },
];

const MAX_DOMAINS = 50;

function DomainList({ domains, disabled, update }: { domains: string[]; disabled: boolean; update: (patch: MeetingSettingsPatch) => void }): ReactElement {
  const [draft, setDraft] = useState('');
  const [error, setError] = useState<string | null>(null);
  const add = (e: FormEvent): void => {
    e.preventDefault();
    const parsed = AllowedDomain.safeParse(draft.replace(/^https?:\/\//i, '').replace(/\/.*$/, ''));
    if (!parsed.success) return setError('Enter a domain name such as example.org');
    if (domains.length >= MAX_DOMAINS) return setError(`At most ${MAX_DOMAINS} domains`);
    setError(null);
    setDraft('');
    if (!domains.includes(parsed.data)) update({ linkAllowList: [...domains, parsed.data] });
  };
  return (
    <div className="domain-list" data-testid="allow-list">
      {domains.length === 0 ? (
        <p className="muted small">No domains yet: no link is clickable.</p>
      ) : (
        <ul className="chips">
          {domains.map((d) => (
            <li key={d} className="chip" data-testid="allow-domain" data-domain={d}>
              <span className="mono">{d}</span>
              <button
                type="button"
                className="chip-remove"
                disabled={disabled}
                onClick={() => update({ linkAllowList: domains.filter((x) => x !== d) })}
                aria-label={`Remove ${d}`}
              >
                ✕
              </button>
            </li>
          ))}
        </ul>
      )}
      <form className="row" onSubmit={add}>
        <input
          className="input input-small"
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          placeholder="example.org"
          aria-label="Domain to allow"
          disabled={disabled}
          maxLength={253}
          spellCheck={false}
          data-testid="allow-domain-input"
        />
        <button type="submit" className="btn btn-small" disabled={disabled || !draft.trim()} data-testid="allow-domain-add">
          Add
        </button>
      </form>
      {error && (
        <p className="error-text small" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

export function LinkPolicyEditor({
  policy,
  allowList,
  isHost,
  update,
}: {
  policy: LinkPolicy;
  allowList: string[];
  isHost: boolean;
  update: (patch: MeetingSettingsPatch) => void;
}): ReactElement {
  return (
    <section className="menu-section" aria-labelledby="links-title">
      <h3 className="menu-section-title" id="links-title">
        Links in chat
      </h3>
      <div role="radiogroup" aria-labelledby="links-title" className="menu-radios" data-testid="link-policy">
        {POLICIES.map((p) => (
          <button
            key={p.value}
            type="button"
            role="radio"
            aria-checked={policy === p.value}
            className="menu-radio"
            disabled={!isHost}
            onClick={() => policy !== p.value && update({ linkPolicy: p.value })}
            data-testid={`link-policy-${p.value}`}
          >
            <span className="radio-dot" aria-hidden="true" />
            <span className="menu-switch-text">
              <span>{p.label}</span>
              <span className="muted small">{p.hint}</span>
            </span>
          </button>
        ))}
      </div>
      {policy === 'allow' && <DomainList domains={allowList} disabled={!isHost} update={update} />}
    </section>
  );
}
