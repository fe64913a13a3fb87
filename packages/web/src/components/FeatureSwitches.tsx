/**
 * The Security menu's collaboration switches (control C7): what participants may do. Moderators are
 * never limited by them. Only the host changes them; co-hosts see them disabled; those the meeting's
 * class forces or the organization's policy locks are locked with the reason.
 */
import type { ReactElement } from 'react';
import type { Features, MeetingSettings, MeetingSettingsPatch } from '@parley/protocol';
import { isForced, lockedReason } from '../lib/sensitivity.js';
import { Segmented, Switch } from './Switch.js';

type BooleanFeature = Exclude<keyof Features, 'screenShare'>;

const SWITCHES: { key: BooleanFeature; label: string; hint?: string }[] = [
  { key: 'chat', label: 'Chat', hint: 'Messages to everyone' },
  { key: 'privateChat', label: 'Private chat', hint: 'Messages between two people' },
  { key: 'fileSharing', label: 'Send files', hint: 'PDF, images, text and Office files, up to 10 MB' },
  { key: 'reactions', label: 'Reactions' },
  { key: 'raiseHand', label: 'Raise hand' },
  { key: 'renameSelf', label: 'Rename themselves', hint: 'Guests only; accounts keep their names' },
  { key: 'unmuteSelf', label: 'Unmute themselves' },
  { key: 'startVideo', label: 'Start video' },
];

const SCREEN_SHARE = [
  { value: 'hosts', label: 'Hosts only' },
  { value: 'everyone', label: 'Everyone' },
] as const;

export function FeatureSwitches({
  features,
  forced,
  isHost,
  update,
}: {
  features: Features;
  /** What the meeting's class forces and the organization's policy locks (`settings.forcedBySensitivity`, `lockedByPolicy`). */
  forced: Pick<MeetingSettings, 'forcedBySensitivity' | 'lockedByPolicy'>;
  isHost: boolean;
  update: (patch: MeetingSettingsPatch) => void;
}): ReactElement {
  const set = (patch: Partial<Features>): void => update({ features: patch });
  const row = (s: (typeof SWITCHES)[number]): ReactElement => (
    <Switch
      key={s.key}
      label={s.label}
      hint={s.hint}
      on={features[s.key]}
      disabled={!isHost || (s.key === 'privateChat' && !features.chat)}
      lockedBy={lockedReason(forced, `features.${s.key}`)}
      onToggle={() => set({ [s.key]: !features[s.key] })}
      testId={`feature-${s.key}`}
    />
  );
  return (
    <section className="menu-section" aria-labelledby="features-title" data-testid="feature-switches">
      <h3 className="menu-section-title" id="features-title">
        Allow participants to
      </h3>
      {SWITCHES.slice(0, 2).map(row)}
      <Segmented
        label="Share screen"
        value={features.screenShare}
        options={SCREEN_SHARE}
        disabled={!isHost || isForced(forced, 'features.screenShare')}
        onChange={(screenShare) => set({ screenShare })}
        testId="feature-screenShare"
      />
      {SWITCHES.slice(2).map(row)}
    </section>
  );
}
