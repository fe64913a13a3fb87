/**
 * An in-app link: a real <a href> (open in a new tab works), but a plain click navigates without
 * reloading, so secrets kept in memory (a meeting's passcode) survive a detour such as signing in.
 */
import type { MouseEvent, ReactElement, ReactNode } from 'react';
import { useNavigate } from '../lib/nav.js';
import { pathOf, type Route } from '../lib/route.js';

export function Link({ to, className, children, testId }: { to: Route; className?: string; children: ReactNode; testId?: string }): ReactElement {
  const navigate = useNavigate();
  const onClick = (e: MouseEvent<HTMLAnchorElement>): void => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(to);
  };
  return (
    <a href={pathOf(to)} className={className} onClick={onClick} data-testid={testId}>
      {children}
    </a>
  );
}
