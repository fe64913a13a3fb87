/**
 * The sensitivity badge: shown wherever the meeting's class is known to be `sensitive` (pre-join from
 * the link's hint, the lobby, the meeting, the Security menu). Its words come from lib/sensitivity.ts.
 */
import type { ReactElement } from 'react';
import type { Sensitivity } from '@parley/protocol';
import { CLASS_LABEL, SENSITIVE_LABEL, SENSITIVE_TITLE } from '../lib/sensitivity.js';
import { ShieldIcon } from './Icons.js';

export function SensitivityBadge({ sensitivity, fromLink = false }: { sensitivity: Sensitivity | null; fromLink?: boolean }): ReactElement | null {
  if (sensitivity !== 'sensitive') return null;
  // Before joining, only the link says so: claim the class, nothing the server has not confirmed.
  const label = fromLink ? CLASS_LABEL : SENSITIVE_LABEL;
  return (
    <span className="sensitivity-badge" data-testid="sensitivity-badge" data-sensitivity={sensitivity} data-from-link={fromLink || undefined} title={SENSITIVE_TITLE}>
      <ShieldIcon className="icon icon-small" /> {label}
    </span>
  );
}
