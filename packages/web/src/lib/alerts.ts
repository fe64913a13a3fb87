/**
 * Security alerts for moderators: who tried what. A new alert shows as a toast; it collapses into
 * the Activity list after a while (`ALERT_TOAST_MS`), when dismissed, or when another alert arrives,
 * and stays there, with its time and actions, for the rest of the meeting (the newest
 * `MAX_ALERTS`). Repeats of the same attempt by the same person fold into one alert with a count
 * (shown as a toast again), so a noisy guest cannot push everything else away; an alert about
 * someone who has since been removed says so.
 */
import type { ServerEvent } from '@parley/protocol';

type AlertEvent = Extract<ServerEvent, { type: 'alert' }>;

export interface MeetingAlert {
  id: number;
  kind: AlertEvent['kind'];
  message: string;
  participantId: string | null;
  participantName: string | null;
  attempted: AlertEvent['attempted'] | null;
  /** The meeting was locked automatically because of this. */
  locked: boolean;
  /** How many times this happened (same person, same attempt). */
  count: number;
  /** The person has been removed from the meeting since. */
  removed: boolean;
  /** When it (or its latest repeat) arrived, ms since the epoch. */
  at: number;
  /** In the Activity list only (no longer a toast). */
  collapsed: boolean;
}

/** How many alerts the Activity list keeps (the oldest go first). */
export const MAX_ALERTS = 50;

/** How long an alert stays a toast before it collapses into the Activity list. */
export const ALERT_TOAST_MS = 20_000;

/** Every alert but `keep` collapses (a newer one arrived). */
function collapseOthers(alerts: readonly MeetingAlert[], keep: MeetingAlert): MeetingAlert[] {
  return alerts.map((a) => (a === keep || a.collapsed ? a : { ...a, collapsed: true }));
}

export function addAlert(alerts: readonly MeetingAlert[], event: AlertEvent, id: number, now: number = Date.now()): MeetingAlert[] {
  const same = alerts.find(
    (a) => !a.removed && a.kind === event.kind && a.attempted === (event.attempted ?? null) && a.participantId === (event.participantId ?? null),
  );
  if (same) {
    const updated: MeetingAlert = { ...same, message: event.message, count: same.count + 1, locked: same.locked || event.locked === true, at: now, collapsed: false };
    return collapseOthers([...alerts.filter((a) => a !== same), updated], updated);
  }
  const alert: MeetingAlert = {
    id,
    kind: event.kind,
    message: event.message,
    participantId: event.participantId ?? null,
    participantName: event.participantName ?? null,
    attempted: event.attempted ?? null,
    locked: event.locked === true,
    count: 1,
    removed: false,
    at: now,
    collapsed: false,
  };
  return collapseOthers([...alerts, alert], alert).slice(-MAX_ALERTS);
}

/** The alert leaves the toasts for the Activity list (its time ran out, or the moderator dismissed it). */
export function collapseAlert(alerts: MeetingAlert[], id: number): MeetingAlert[] {
  if (!alerts.some((a) => a.id === id && !a.collapsed)) return alerts;
  return alerts.map((a) => (a.id === id ? { ...a, collapsed: true } : a));
}

/** What shows as a toast: the alerts not yet collapsed. */
export function toastAlerts(alerts: readonly MeetingAlert[]): MeetingAlert[] {
  return alerts.filter((a) => !a.collapsed);
}

/** The Activity list: collapsed alerts, newest first. */
export function activityList(alerts: readonly MeetingAlert[]): MeetingAlert[] {
  return alerts.filter((a) => a.collapsed).sort((a, b) => b.at - a.at || b.id - a.id);
}

/** A collapsed alert's identity for "seen" (a repeat is news again). */
export function alertVersion(alert: MeetingAlert): string {
  return `${alert.id}:${alert.count}`;
}

/** Someone left because a moderator removed them: their alerts say so instead of offering Remove. */
export function markRemoved(alerts: MeetingAlert[], participantId: string): MeetingAlert[] {
  if (!alerts.some((a) => a.participantId === participantId && !a.removed)) return alerts;
  return alerts.map((a) => (a.participantId === participantId ? { ...a, removed: true } : a));
}

/** Words for what someone attempted (the server's own message carries the sentence). */
export const ATTEMPT_LABEL: Record<NonNullable<AlertEvent['attempted']>, string> = {
  link: 'Link in chat',
  file: 'Tried to share a file',
  'screen-share': 'Tried to share their screen',
  rename: 'Tried to rename themselves',
  chat: 'Tried to chat',
  'private-chat': 'Tried to send a private message',
  reaction: 'Tried to react',
  unmute: 'Tried to unmute',
  video: 'Tried to start video',
  'join-burst': 'Many joins at once',
  'forbidden-burst': 'Repeated forbidden attempts',
  'rename-burst': 'Rapid renaming',
};

export const ALERT_TITLE: Record<AlertEvent['kind'], string> = {
  'untrusted-activity': 'Untrusted activity',
  disruption: 'Disruption',
  'passcode-guessing': 'Passcode guessing',
};
