/**
 * The moderators' Security menu: lock the meeting; the waiting room and who may join (host); the
 * collaboration switches and the link policy (host; co-hosts see them disabled); the meeting's
 * sensitivity class (what it forces is locked with the reason; a host may make a standard meeting
 * sensitive); acting on everyone at once (mute all, lower all hands, suspend participant activities);
 * people removed and letting them back; ending the meeting (host). Destructive acts ask first.
 */
import { useRef, useState, type ReactElement } from 'react';
import { useReturnFocus } from '../lib/focus.js';
import { useDismiss } from '../lib/useDismiss.js';
import type { MeetingSettings, MeetingSettingsPatch, RemovedEntry } from '@parley/protocol';
import { E2EE_STATUS, POLICY_REASON, SENSITIVE_FORCES, isForced, lockedReason } from '../lib/sensitivity.js';
import { ConfirmDialog } from './ConfirmDialog.js';
import { FeatureSwitches } from './FeatureSwitches.js';
import { LinkPolicyEditor } from './LinkPolicyEditor.js';
import { RemovedList } from './RemovedList.js';
import { SensitivityBadge } from './SensitivityBadge.js';
import { Switch } from './Switch.js';

export interface SecurityActions {
  lock: (locked: boolean) => void;
  update: (patch: MeetingSettingsPatch) => void;
  endMeeting: () => void;
  muteAll: () => void;
  lowerAllHands: () => void;
  suspend: () => void;
  allowBack: (removedId: string) => void;
  /** Host: make this standard meeting sensitive (guests and non-members are moved out). */
  raiseSensitivity: () => void;
}

type Confirming = 'end' | 'suspend' | 'sensitive' | null;

export function SecurityMenu({
  settings,
  removed,
  isHost,
  issuedPasscode,
  actions,
  onClose,
}: {
  settings: MeetingSettings;
  removed: RemovedEntry[];
  isHost: boolean;
  /** A passcode the server generated when this host made the meeting sensitive (it had none). */
  issuedPasscode: string | null;
  actions: SecurityActions;
  onClose: () => void;
}): ReactElement {
  const ref = useRef<HTMLDivElement>(null);
  const [confirming, setConfirming] = useState<Confirming>(null);

  // While a confirmation is open, it owns Escape and clicks; the toggle button handles its own clicks.
  useDismiss(ref, !confirming, onClose, isSecurityToggle);
  // However it closes, focus goes back to the Security button rather than to the page.
  useReturnFocus(ref, securityToggle);

  const confirmed = (act: () => void) => () => {
    setConfirming(null);
    act();
  };

  return (
    <div className="popover security-menu" ref={ref} role="group" aria-label="Security" data-testid="security-menu">
      <div className="popover-head">
        <h2 className="popover-title">Security</h2>
        <button type="button" className="btn btn-ghost btn-small" onClick={onClose} aria-label="Close security menu" data-testid="security-close">
          ✕
        </button>
      </div>
      <section className="menu-section">
        <Switch
          label="Lock meeting"
          hint="Nobody new can join or reach the waiting room."
          on={settings.locked}
          onToggle={() => actions.lock(!settings.locked)}
          testId="lock-toggle"
          autoFocus
        />
        <Switch
          label="Waiting room"
          on={settings.lobby}
          disabled={!isHost}
          lockedBy={lockedReason(settings, 'lobby')}
          onToggle={() => actions.update({ lobby: !settings.lobby })}
          testId="lobby-toggle"
        />
        <Switch
          label="Allow joining before the host"
          on={settings.joinBeforeHost}
          disabled={!isHost}
          lockedBy={lockedReason(settings, 'joinBeforeHost')}
          onToggle={() => actions.update({ joinBeforeHost: !settings.joinBeforeHost })}
          testId="join-before-host-toggle"
        />
        <Switch
          label="Members skip the waiting room"
          on={settings.membersSkipLobby}
          disabled={!isHost || !settings.lobby}
          lockedBy={lockedReason(settings, 'membersSkipLobby')}
          onToggle={() => actions.update({ membersSkipLobby: !settings.membersSkipLobby })}
          testId="members-skip-toggle"
        />
        <Switch
          label="Lock on disruption"
          hint="Lock automatically when many join at once or someone keeps trying what is off."
          on={settings.autoLockOnDisruption}
          disabled={!isHost}
          onToggle={() => actions.update({ autoLockOnDisruption: !settings.autoLockOnDisruption })}
          lockedBy={lockedReason(settings, 'autoLockOnDisruption')}
          testId="auto-lock-toggle"
        />
      </section>
      {(settings.sensitivity === 'sensitive' || isHost) && (
        <section className="menu-section" aria-label="Sensitivity" data-testid="sensitivity-section" data-sensitivity={settings.sensitivity}>
          {settings.sensitivity === 'sensitive' ? (
            <>
              <p className="sensitivity-note popover-note">
                <SensitivityBadge sensitivity={settings.sensitivity} />
              </p>
              <p className="muted small popover-note">{SENSITIVE_FORCES}</p>
              <p className="muted small popover-note" data-testid="e2ee-status-note">
                {E2EE_STATUS}
              </p>
              {issuedPasscode && (
                <p className="small popover-note">
                  Its passcode, new when it became sensitive:{' '}
                  <span className="mono" data-testid="issued-passcode">
                    {issuedPasscode}
                  </span>{' '}
                  (share it only with the members you invite).
                </p>
              )}
            </>
          ) : (
            <div className="row popover-note">
              <button type="button" className="btn btn-small" onClick={() => setConfirming('sensitive')} data-testid="raise-sensitivity">
                Make this meeting sensitive
              </button>
            </div>
          )}
        </section>
      )}
      {!isHost && (
        <p className="muted small popover-note" data-testid="cohost-note">
          Only the host changes these settings. As a co-host you can lock the meeting, act on participants, and suspend activities.
        </p>
      )}
      <FeatureSwitches features={settings.features} forced={settings} isHost={isHost} update={actions.update} />
      <LinkPolicyEditor
        policy={settings.linkPolicy}
        allowList={settings.linkAllowList}
        isHost={isHost && !isForced(settings, 'linkPolicy') && !isForced(settings, 'linkAllowList')}
        update={actions.update}
      />
      {(isForced(settings, 'linkPolicy') || isForced(settings, 'linkAllowList')) && (
        <p className="small locked-reason popover-note" data-testid="links-locked">
          {lockedReason(settings, 'linkPolicy') ?? lockedReason(settings, 'linkAllowList') ?? POLICY_REASON}
        </p>
      )}
      <section className="menu-section menu-actions" aria-label="Everyone at once">
        <div className="row">
          <button type="button" className="btn btn-small" onClick={actions.muteAll} data-testid="mute-all">
            Mute all
          </button>
          <button type="button" className="btn btn-small" onClick={actions.lowerAllHands} data-testid="lower-all-hands">
            Lower all hands
          </button>
        </div>
        <button type="button" className="btn btn-danger" onClick={() => setConfirming('suspend')} data-testid="suspend">
          Suspend participant activities
        </button>
      </section>
      <RemovedList entries={removed} onAllowBack={actions.allowBack} />
      {isHost && (
        <button type="button" className="btn btn-danger menu-end" onClick={() => setConfirming('end')} data-testid="end-meeting">
          End meeting for all
        </button>
      )}
      {confirming === 'suspend' && (
        <ConfirmDialog
          title="Suspend participant activities?"
          confirmLabel="Suspend"
          testId="suspend-dialog"
          onCancel={() => setConfirming(null)}
          onConfirm={confirmed(actions.suspend)}
        >
          Everyone’s video, audio and screen sharing stops (hosts and co-hosts excepted), chat and every other
          participant feature turns off, and the meeting locks. You can turn things back on one by one.
        </ConfirmDialog>
      )}
      {confirming === 'sensitive' && (
        <ConfirmDialog
          title="Make this meeting sensitive?"
          confirmLabel="Make sensitive"
          testId="raise-sensitivity-dialog"
          onCancel={() => setConfirming(null)}
          onConfirm={confirmed(actions.raiseSensitivity)}
        >
          Guests and everyone not signed in as a member of the organization are removed at once, from the meeting and
          the waiting room. From then on: {SENSITIVE_FORCES.charAt(0).toLowerCase() + SENSITIVE_FORCES.slice(1)} A sensitive
          meeting stays sensitive.
        </ConfirmDialog>
      )}
      {confirming === 'end' && (
        <ConfirmDialog
          title="End the meeting for everyone?"
          confirmLabel="End meeting"
          testId="end-meeting-dialog"
          onCancel={() => setConfirming(null)}
          onConfirm={confirmed(actions.endMeeting)}
        >
          Everyone, including people in the waiting room, is disconnected, and the meeting link stops working.
        </ConfirmDialog>
      )}
    </div>
  );
}

function securityToggle(): HTMLElement | null {
  return document.querySelector<HTMLElement>('[data-testid="toggle-security"]');
}

function isSecurityToggle(target: Node): boolean {
  return target instanceof Element && target.closest('[data-testid="toggle-security"]') !== null;
}
