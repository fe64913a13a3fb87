/**
 * Security alerts for moderators: who tried what, kept in a short list until dismissed. Repeats of
 * the same attempt by the same person fold into one alert with a count, so a noisy guest cannot
 * push everything else off the screen; an alert about someone who has since been removed says so.
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
}

export const MAX_ALERTS = 6;

export function addAlert(alerts: readonly MeetingAlert[], event: AlertEvent, id: number): MeetingAlert[] {
  const same = alerts.find(
    (a) => !a.removed && a.kind === event.kind && a.attempted === (event.attempted ?? null) && a.participantId === (event.participantId ?? null),
  );
  if (same) {
    const updated: MeetingAlert = { ...same, message: event.message, count: same.count + 1, locked: same.locked || event.locked === true };
    return [...alerts.filter((a) => a !== same), updated];
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
  };
  return [...alerts, alert].slice(-MAX_ALERTS);
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
