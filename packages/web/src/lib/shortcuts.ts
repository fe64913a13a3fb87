/**
 * The meeting's keyboard shortcuts: single keys, as in other meeting apps. Each one presses the
 * control bar's button that declares it (`aria-keyshortcuts`), so a shortcut can do nothing the
 * button could not: a disabled button (a switch the host turned off) ignores it too. Keys typed into
 * a field, with Ctrl, Alt or Meta, or while a modal dialog is open are left alone.
 */
import { useEffect } from 'react';

export interface Shortcut {
  /** KeyboardEvent.key, lower case. */
  key: string;
  /** As written in `aria-keyshortcuts` and shown in the list. */
  label: string;
  what: string;
}

export const SHORTCUTS: readonly Shortcut[] = [
  { key: 'm', label: 'M', what: 'Mute or unmute your microphone' },
  { key: 'v', label: 'V', what: 'Turn your camera on or off' },
  { key: 'h', label: 'H', what: 'Raise or lower your hand' },
  { key: 'c', label: 'C', what: 'Open or close the chat' },
  { key: 'p', label: 'P', what: 'Open or close the list of people' },
  { key: '?', label: '?', what: 'Show these shortcuts' },
];

/** The `aria-keyshortcuts` value of the control that `key` presses. */
export function keyLabel(key: string): string {
  return SHORTCUTS.find((s) => s.key === key)?.label ?? key.toUpperCase();
}

export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  altKey: boolean;
  metaKey: boolean;
  repeat: boolean;
}

/** The shortcut a key press means, or null (typing, a modifier held, a held-down key, another key). */
export function shortcutFor(e: KeyPress, typing: boolean): Shortcut | null {
  if (typing || e.ctrlKey || e.altKey || e.metaKey || e.repeat) return null;
  const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
  return SHORTCUTS.find((s) => s.key === key) ?? null;
}

/** Focus is in something that takes text (or a choice made with keys). */
export function isTyping(target: EventTarget | null): boolean {
  return target instanceof Element && target.closest('input, textarea, select, [contenteditable]:not([contenteditable="false"])') !== null;
}

/** Listens for the shortcuts while mounted; `?` calls `onHelp`, the others press their control. */
export function useShortcuts(onHelp: () => void): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.defaultPrevented || document.querySelector('dialog[open]')) return;
      const shortcut = shortcutFor(e, isTyping(e.target));
      if (!shortcut) return;
      if (shortcut.key === '?') {
        e.preventDefault();
        onHelp();
        return;
      }
      const control = document.querySelector<HTMLButtonElement>(`button[aria-keyshortcuts="${shortcut.label}"]`);
      if (!control) return;
      e.preventDefault();
      // A disabled button ignores click(): the shortcut has exactly the button's rights.
      control.click();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [onHelp]);
}
