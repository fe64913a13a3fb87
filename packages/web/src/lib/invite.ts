/**
 * The text "Copy invite" puts on the clipboard: the link, the meeting ID and how to join. The passcode
 * is in it only where this tab knows it (right after creating the meeting or issuing a new passcode):
 * the server keeps only a hash, so nobody can look it up later. Known passcodes live in this tab's
 * memory only, never in storage.
 */
import { meetingPath } from './route.js';

export interface InviteFacts {
  origin: string;
  meetingId: string;
  title: string;
  sensitive: boolean;
  /** Null where the meeting is public. */
  hasPasscode: boolean;
  /** The passcode, where known. */
  passcode: string | null;
}

/** The link to share: with the passcode in its fragment where known. */
export function inviteLink(f: InviteFacts): string {
  const base = `${f.origin}${meetingPath(f.meetingId)}`;
  if (!f.hasPasscode) return `${base}#public${f.sensitive ? '&sensitive' : ''}`;
  if (f.passcode === null) return f.sensitive ? `${base}#sensitive` : base;
  return `${base}#pwd=${encodeURIComponent(f.passcode)}${f.sensitive ? '&sensitive' : ''}`;
}

/** The link as shown on screen: the passcode masked (a shared screen or a recording must not carry it). */
export function shownLink(f: InviteFacts): string {
  return f.passcode === null ? inviteLink(f) : inviteLink({ ...f, passcode: '' }).replace(/#pwd=/, '#pwd=••••••');
}

export function inviteText(f: InviteFacts): string {
  const lines = [`You are invited to “${f.title || 'Meeting'}” on Parley.`, '', `Join: ${inviteLink(f)}`, `Meeting ID: ${f.meetingId}`];
  if (f.hasPasscode) lines.push(f.passcode === null ? 'Passcode: ask the host for it.' : `Passcode: ${f.passcode}`);
  lines.push(
    '',
    'Open the link in a current Chrome, Edge, Firefox or Safari; there is nothing to install.',
    `Or go to ${f.origin}, choose “Join a meeting” and enter the meeting ID${f.hasPasscode ? ' and passcode' : ''}.`,
  );
  if (f.sensitive) lines.push('This meeting is sensitive: sign in with your organization account to join.');
  return lines.join('\n');
}

const known = new Map<string, string>();
const listeners = new Set<() => void>();

/** Remembers a passcode this tab was given (created or re-issued), in memory only. */
export function rememberPasscode(meetingId: string, passcode: string): void {
  known.set(meetingId, passcode);
  meetingsChanged();
}

/** This tab created a meeting or re-issued a passcode: lists of meetings refresh. */
export function meetingsChanged(): void {
  for (const listener of listeners) listener();
}

export function knownPasscode(meetingId: string): string | null {
  return known.get(meetingId) ?? null;
}

/** Called whenever this tab created a meeting or re-issued a passcode (the home page's list refreshes). */
export function onMeetingsChanged(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Writes `text` to the clipboard; false where the browser refuses (the caller shows it to copy by hand). */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}
