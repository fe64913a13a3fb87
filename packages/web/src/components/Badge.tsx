/** The identity badge (Member / External / Guest) and the role tag (Host / Co-host / View only) beside a name. */
import type { ReactElement } from 'react';
import type { IdentityKind, Role } from '@parley/protocol';
import { IDENTITY_LABEL, IDENTITY_TITLE, ROLE_LABEL } from '../lib/roles.js';

export function IdentityBadge({ identity }: { identity: IdentityKind }): ReactElement {
  return (
    <span className={`badge badge-${identity}`} data-testid="badge" data-identity={identity} title={IDENTITY_TITLE[identity]}>
      {IDENTITY_LABEL[identity]}
    </span>
  );
}

export function RoleTag({ role }: { role: Role }): ReactElement | null {
  const label = ROLE_LABEL[role];
  if (!label) return null;
  return (
    <span className={`role-tag role-${role}`} data-testid="role-tag" data-role={role}>
      {label}
    </span>
  );
}
