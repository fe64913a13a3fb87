/**
 * Keyboard focus where people expect it: a screen's first field once it can take focus, focus back
 * on the button that opened a popover when the popover goes, and the arrow keys in a menu.
 */
import { useEffect, useRef, type KeyboardEvent, type RefObject } from 'react';

/** Nothing in particular has focus (the page itself, or an element that is gone). */
export function focusLost(): boolean {
  const active = document.activeElement;
  return active === null || active === document.body || !active.isConnected;
}

/**
 * Focuses `ref`'s element once, as soon as `ready` is true (a field that starts disabled while the
 * account loads cannot take `autoFocus`), unless the person already put focus somewhere.
 */
export function useInitialFocus(ref: RefObject<HTMLElement | null>, ready: boolean): void {
  const done = useRef(false);
  useEffect(() => {
    if (done.current || !ready || !ref.current) return;
    done.current = true;
    if (focusLost()) ref.current.focus();
  }, [ref, ready]);
}

/**
 * When the component using it goes (a popover closing by Escape, by its button, or by a click
 * elsewhere), focus returns to `opener()` if it was inside `container` or lost with it.
 */
export function useReturnFocus(container: RefObject<HTMLElement | null>, opener: () => HTMLElement | null): void {
  const openerRef = useRef(opener);
  openerRef.current = opener;
  useEffect(() => {
    const el = container.current;
    return () => {
      const active = document.activeElement;
      if (focusLost() || (el !== null && active !== null && el.contains(active))) openerRef.current()?.focus();
    };
  }, [container]);
}

/** The next item to focus in a menu of `count` items for `key`, from `current` (-1: none); null: not a menu key. */
export function menuTarget(key: string, current: number, count: number): number | null {
  if (count === 0) return null;
  switch (key) {
    case 'ArrowDown':
      return current < 0 ? 0 : (current + 1) % count;
    case 'ArrowUp':
      return current < 0 ? count - 1 : (current - 1 + count) % count;
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default:
      return null;
  }
}

/** Arrow keys, Home and End move focus among a menu's `[role="menuitem"]` elements. */
export function onMenuKeyDown(e: KeyboardEvent<HTMLElement>): void {
  const items = Array.from(e.currentTarget.querySelectorAll<HTMLElement>('[role="menuitem"]:not(:disabled)'));
  const next = menuTarget(e.key, items.indexOf(document.activeElement as HTMLElement), items.length);
  if (next === null) return;
  e.preventDefault();
  items[next]?.focus();
}
