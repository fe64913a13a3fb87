/**
 * The Meeting info button in the top bar and its popover: the meeting ID, who hosts (hosts and
 * co-hosts present), the class, how long it has been running, and, for hosts and co-hosts only, the
 * join link and a "Copy invite" button (the link is for moderators to share; others see the ID, which
 * their own address bar shows anyway). The passcode is masked on screen (the screen may be shared) and
 * copied in full. Escape closes it and returns focus to the button.
 */
import { useCallback, useEffect, useRef, useState, type ReactElement } from 'react';
import type { MeetingSettings, ParticipantInfo, RunningMeetingInfo } from '@parley/protocol';
import { elapsedText } from '../../lib/elapsed.js';
import { copyText, inviteText, knownPasscode, shownLink, type InviteFacts } from '../../lib/invite.js';
import { useDismiss } from '../../lib/useDismiss.js';
import { CopyIcon } from '../Icons.js';
import { InfoIcon } from './icons.js';

export interface MeetingInfoProps {
  meeting: RunningMeetingInfo;
  settings: MeetingSettings;
  participants: ParticipantInfo[];
  moderator: boolean;
  /** A passcode this tab was given for the meeting (by the Security menu, when it was made sensitive). */
  issuedPasscode: string | null;
}

function useNow(active: boolean): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    if (!active) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [active]);
  return now;
}

function hostNames(participants: ParticipantInfo[]): string {
  const hosts = participants.filter((p) => p.role === 'host').map((p) => p.displayName);
  const cohosts = participants.filter((p) => p.role === 'cohost').map((p) => `${p.displayName} (co-host)`);
  const all = [...hosts, ...cohosts];
  return all.length > 0 ? all.join(', ') : 'Nobody hosts right now';
}

export function MeetingInfo(p: MeetingInfoProps): ReactElement {
  const [open, setOpen] = useState(false);
  const [copied, setCopied] = useState<'copied' | 'blocked' | null>(null);
  const button = useRef<HTMLButtonElement>(null);
  const popover = useRef<HTMLDivElement>(null);
  const now = useNow(open);
  const close = useCallback(() => {
    setOpen(false);
    button.current?.focus();
  }, []);
  const isToggle = useCallback((target: Node) => button.current?.contains(target) ?? false, []);
  useDismiss(popover, open, close, isToggle);
  // Focus moves into the popover when it opens, so Escape and Tab work from the keyboard.
  useEffect(() => {
    if (open) popover.current?.focus();
    else setCopied(null);
  }, [open]);

  const moderator = p.moderator;
  const facts: InviteFacts = {
    origin: window.location.origin,
    meetingId: p.meeting.id,
    title: p.meeting.title,
    sensitive: p.settings.sensitivity === 'sensitive',
    hasPasscode: !p.settings.public,
    passcode: knownPasscode(p.meeting.id) ?? p.issuedPasscode,
  };
  const copy = async (): Promise<void> => setCopied((await copyText(inviteText(facts))) ? 'copied' : 'blocked');
  return (
    <>
      <button
        ref={button}
        type="button"
        className="btn btn-small btn-ghost meeting-info-button"
        aria-haspopup="dialog"
        aria-label="Meeting info"
        aria-expanded={open}
        onClick={() => setOpen((v) => !v)}
        data-testid="meeting-info-button"
        title="Meeting info"
      >
        <InfoIcon /> <span className="meeting-info-label">Info</span>
      </button>
      {open && (
        <div ref={popover} className="meeting-info" role="dialog" aria-label="Meeting info" tabIndex={-1} data-testid="meeting-info">
          <h2 className="popover-title">{p.meeting.title || 'Meeting'}</h2>
          <dl className="meeting-info-facts">
            <dt>Meeting ID</dt>
            <dd className="mono" data-testid="meeting-info-id">
              {p.meeting.id}
            </dd>
            <dt>Hosted by</dt>
            <dd data-testid="meeting-info-hosts">{hostNames(p.participants)}</dd>
            <dt>Class</dt>
            <dd data-testid="meeting-info-class">{facts.sensitive ? `Sensitive${p.settings.e2ee ? ' · end-to-end encrypted' : ''}` : 'Standard'}</dd>
            <dt>Running for</dt>
            <dd className="mono" data-testid="meeting-info-elapsed">
              {elapsedText(p.meeting.startedAt, now)}
            </dd>
            {moderator && (
              <>
                <dt>Join link</dt>
                <dd className="mono meeting-info-link" data-testid="meeting-info-link">
                  {shownLink(facts)}
                </dd>
              </>
            )}
          </dl>
          {moderator && (
            <div className="stack">
              {facts.hasPasscode && facts.passcode === null && (
                <p className="muted small">The passcode is not in this invite: only its hash is kept. Issue a new one from My meetings on the home page if it is lost.</p>
              )}
              <button type="button" className="btn" onClick={() => void copy()} data-testid="meeting-info-copy">
                <CopyIcon className="icon icon-small" /> {copied === 'copied' ? 'Invite copied' : 'Copy invite'}
              </button>
              {copied === 'blocked' && (
                <p className="error-text small" role="alert">
                  Copying was blocked by the browser; select the link above and copy it.
                </p>
              )}
            </div>
          )}
        </div>
      )}
    </>
  );
}
