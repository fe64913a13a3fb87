/** Initials on a colour derived from the participant ID (stable across clients, not from the name). */
import type { ReactElement } from 'react';

export function initials(name: string): string {
  const words = name.trim().split(/\s+/u).filter(Boolean);
  const first = words[0] ? Array.from(words[0])[0] ?? '' : '';
  const last = words.length > 1 ? Array.from(words[words.length - 1] ?? '')[0] ?? '' : '';
  return (first + last).toUpperCase() || '?';
}

function hue(id: string): number {
  let h = 0;
  for (let i = 0; i < id.length; i++) h = (h * 31 + id.charCodeAt(i)) >>> 0;
  return h % 8;
}

export function Avatar({ id, name, size = 'large' }: { id: string; name: string; size?: 'large' | 'small' }): ReactElement {
  return (
    // The initials are drawn by CSS from data-initials, so a name's text content is only the name.
    <span className={`avatar avatar-${size} avatar-c${hue(id)}`} data-initials={initials(name)} aria-hidden="true" />
  );
}
