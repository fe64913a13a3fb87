/**
 * The menu on one row of the participant list: for moderators, roles (co-hosts, letting attendees
 * speak) and moderation (mute, ask to unmute, stop video or sharing, rename a guest, remove); for
 * everyone, pinning their tile large and reporting someone; on one's own row, renaming oneself where allowed. Removing asks
 * first; renaming and reporting ask for the words.
 */
import { useCallback, useEffect, useRef, useState, type ReactElement } from 'react';
import { onMenuKeyDown } from '../lib/focus.js';
import { useDismiss } from '../lib/useDismiss.js';
import type { PersonModeration } from '../lib/permissions.js';
import type { RoleActions } from '../lib/roles.js';
import { ConfirmDialog } from './ConfirmDialog.js';
import { PromptDialog } from './PromptDialog.js';

export interface PersonActions {
  setRole: (role: 'cohost' | 'participant') => void;
  mute: () => void;
  askToUnmute: () => void;
  stopVideo: () => void;
  stopScreenShare: () => void;
  rename: (displayName: string) => void;
  remove: () => void;
  report: (note: string) => void;
  lowerHand: () => void;
}

type Dialog = 'remove' | 'rename' | 'report' | null;

interface Item {
  key: string;
  label: string;
  show: boolean;
  run: () => void;
  danger?: boolean;
}

export function PersonMenu({
  name,
  isSelf,
  roles,
  moderation,
  actions,
  pin,
  lowerHand = false,
}: {
  name: string;
  isSelf: boolean;
  roles: RoleActions;
  moderation: PersonModeration;
  actions: PersonActions;
  /** Pinning this person's tile large (everyone may, for their own view). */
  pin?: { pinned: boolean; toggle: () => void };
  /** Moderators, on a row with a raised hand: "Lower hand". */
  lowerHand?: boolean;
}): ReactElement | null {
  const [open, setOpen] = useState(false);
  const [dialog, setDialog] = useState<Dialog>(null);
  const ref = useRef<HTMLSpanElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLSpanElement>(null);

  // Closing (Escape, a click elsewhere) puts focus back on the ⋯ button if it was in the menu.
  const close = useCallback(() => {
    const inside = menu.current?.contains(document.activeElement) ?? false;
    setOpen(false);
    if (inside) button.current?.focus();
  }, []);
  useDismiss(ref, open, close);
  // Opening moves focus to the first item (a menu button's usual behaviour).
  useEffect(() => {
    if (open) menu.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
  }, [open]);

  const items: Item[] = [
    { key: 'person-pin', label: pin?.pinned ? 'Unpin' : 'Pin', show: pin !== undefined, run: () => pin?.toggle() },
    { key: 'person-lower-hand', label: 'Lower hand', show: lowerHand, run: actions.lowerHand },
    { key: 'allow-speak', label: 'Allow to speak', show: roles.allowToSpeak, run: () => actions.setRole('participant') },
    { key: 'make-cohost', label: 'Make co-host', show: roles.makeCohost, run: () => actions.setRole('cohost') },
    { key: 'remove-cohost', label: 'Remove co-host', show: roles.removeCohost, run: () => actions.setRole('participant') },
    { key: 'person-mute', label: 'Mute', show: moderation.mute, run: actions.mute },
    { key: 'person-ask-unmute', label: 'Ask to unmute', show: moderation.askToUnmute, run: actions.askToUnmute },
    { key: 'person-stop-video', label: 'Stop video', show: moderation.stopVideo, run: actions.stopVideo },
    { key: 'person-stop-share', label: 'Stop screen share', show: moderation.stopScreenShare, run: actions.stopScreenShare },
    { key: 'person-rename', label: isSelf ? 'Rename myself' : 'Rename', show: moderation.rename, run: () => setDialog('rename') },
    { key: 'person-report', label: 'Report…', show: moderation.report, run: () => setDialog('report') },
    { key: 'person-remove', label: 'Remove from meeting…', show: moderation.remove, run: () => setDialog('remove'), danger: true },
  ].filter((i) => i.show);
  if (items.length === 0) return null;

  const choose = (item: Item): void => {
    setOpen(false);
    button.current?.focus();
    item.run();
  };
  const closeDialog = (): void => setDialog(null);
  return (
    <span className="person-menu" ref={ref}>
      <button
        ref={button}
        type="button"
        className="btn btn-ghost btn-small"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-label={`Actions for ${name}`}
        onClick={() => setOpen((v) => !v)}
        data-testid="person-menu"
      >
        ⋯
      </button>
      {open && (
        <span
          className="menu"
          role="menu"
          aria-label={`Actions for ${name}`}
          ref={menu}
          onKeyDown={onMenuKeyDown}
          onBlur={(e) => {
            // Tab out of the menu closes it (the ⋯ button closes it itself).
            const to = e.relatedTarget;
            if (to instanceof Node && !e.currentTarget.contains(to) && to !== button.current) setOpen(false);
          }}
        >
          {items.map((item) => (
            <button key={item.key} type="button" role="menuitem" tabIndex={-1} className={`menu-item${item.danger ? ' menu-item-danger' : ''}`} onClick={() => choose(item)} data-testid={item.key}>
              {item.label}
            </button>
          ))}
        </span>
      )}
      {dialog === 'remove' && (
        <ConfirmDialog
          title={`Remove ${name}?`}
          confirmLabel="Remove"
          testId="remove-dialog"
          onCancel={closeDialog}
          onConfirm={() => {
            closeDialog();
            actions.remove();
          }}
        >
          They leave the meeting at once and cannot come back, from this browser or account, unless a host allows them back.
        </ConfirmDialog>
      )}
      {dialog === 'rename' && (
        <PromptDialog
          title={isSelf ? 'Rename yourself' : `Rename ${name}`}
          label="Name"
          initial={name}
          maxLength={64}
          confirmLabel="Rename"
          testId="rename-dialog"
          onCancel={closeDialog}
          onConfirm={(value) => {
            closeDialog();
            actions.rename(value);
          }}
        />
      )}
      {dialog === 'report' && (
        <PromptDialog
          title={`Report ${name}`}
          label="What happened?"
          maxLength={1000}
          multiline
          confirmLabel="Send report"
          danger
          testId="report-dialog"
          onCancel={closeDialog}
          onConfirm={(note) => {
            closeDialog();
            actions.report(note);
          }}
        >
          The organization’s administrators receive your report with the meeting’s details.
        </PromptDialog>
      )}
    </span>
  );
}
