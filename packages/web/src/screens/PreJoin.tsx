/**
 * The pre-join screen: camera preview, microphone meter, device pickers, mic/camera toggles, who
 * you will be (your account's name and badge when signed in, else a typed name and the Guest
 * badge), the meeting's class when its link says it is sensitive, and, when the link had none, the
 * passcode. A browser that cannot do WebRTC is told so
 * here, before it can join or knock. On Join it hands its open tracks to the meeting session.
 */
import { useCallback, useEffect, useRef, useState, type FormEvent, type ReactElement } from 'react';
import { DisplayName, browserShortfall, outdatedBrowserText, parseUserAgent } from '@parley/protocol';
import { AccountBar } from '../components/AccountBar.js';
import { IdentityBadge } from '../components/Badge.js';
import { DeviceSelect } from '../components/DeviceSelect.js';
import { E2eeNote } from '../components/e2ee/E2eeStatus.js';
import { Link } from '../components/Link.js';
import { CamIcon, CamOffIcon, MicIcon, MicOffIcon } from '../components/Icons.js';
import { MicMeter } from '../components/MicMeter.js';
import { SensitivityBadge } from '../components/SensitivityBadge.js';
import { VideoView } from '../components/VideoView.js';
import {
  describeMediaError,
  listDevices,
  openCamera,
  openMicrophone,
  supportsSpeakerSelection,
  type DeviceLists,
} from '../lib/media.js';
import { useAccount } from '../lib/account.js';
import { E2EE_UNSUPPORTED_TEXT } from '../lib/e2ee/support.js';
import { useE2eeSupport } from '../lib/e2ee/useE2eeSupport.js';
import { useInitialFocus } from '../lib/focus.js';
import { useDeviceTrack, useMediaSupport } from '../lib/usePreJoinMedia.js';
import { loadPrefs, savePrefs } from '../lib/prefs.js';
import { usePublicPolicy } from '../lib/publicPolicy.js';
import { meetingPath } from '../lib/route.js';
import type { JoinOptions } from '../lib/session.js';

const NO_DEVICES: DeviceLists = { cameras: [], microphones: [], speakers: [] };

export function PreJoin({
  meetingId,
  passcode: linkPasscode,
  isPublic,
  sensitive,
  onJoin,
}: {
  meetingId: string;
  passcode: string | null;
  /** The link said the meeting is public: there is no passcode to ask for. */
  isPublic: boolean;
  /** The link said the meeting is sensitive (a hint: the server decides at join). */
  sensitive: boolean;
  onJoin: (opts: JoinOptions) => void;
}): ReactElement {
  const { state: account } = useAccount();
  const user = account.user;
  const [prefs] = useState(loadPrefs);
  const [name, setName] = useState(prefs.displayName);
  const [passcode, setPasscode] = useState('');
  const [micOn, setMicOn] = useState(true);
  const [camOn, setCamOn] = useState(true);
  const [cameraId, setCameraId] = useState(prefs.cameraId);
  const [micId, setMicId] = useState(prefs.micId);
  const [speakerId, setSpeakerId] = useState(prefs.speakerId);
  const [devices, setDevices] = useState<DeviceLists>(NO_DEVICES);
  const [camError, setCamError] = useState<string | null>(null);
  const [micError, setMicError] = useState<string | null>(null);
  const handedOver = useRef(false);
  const nameField = useRef<HTMLInputElement>(null);
  const joinButton = useRef<HTMLButtonElement>(null);
  const supported = useMediaSupport();
  // The organization's minimum browser versions, checked before the lobby (the server checks again at hello).
  const policy = usePublicPolicy();
  // A sensitive meeting is end-to-end encrypted: say so, and keep a browser that cannot encrypt out.
  const e2ee = sensitive;
  const e2eeSupport = useE2eeSupport(e2ee);
  const e2eeBlocked = e2ee && e2eeSupport?.ok !== true;

  const refreshDevices = useCallback(() => {
    listDevices().then(setDevices, () => setDevices(NO_DEVICES));
  }, []);
  useEffect(() => {
    refreshDevices();
    navigator.mediaDevices?.addEventListener('devicechange', refreshDevices);
    return () => navigator.mediaDevices?.removeEventListener('devicechange', refreshDevices);
  }, [refreshDevices]);

  const onCamOpened = useCallback(() => {
    setCamError(null);
    refreshDevices();
  }, [refreshDevices]);
  const onCamError = useCallback(
    (err: unknown) => {
      // A remembered device that is gone: fall back to the default one.
      if (err instanceof DOMException && err.name === 'OverconstrainedError' && cameraId) return setCameraId('');
      setCamError(describeMediaError(err, 'camera'));
      setCamOn(false);
    },
    [cameraId],
  );
  const onMicOpened = useCallback(() => {
    setMicError(null);
    refreshDevices();
  }, [refreshDevices]);
  const onMicError = useCallback(
    (err: unknown) => {
      if (err instanceof DOMException && err.name === 'OverconstrainedError' && micId) return setMicId('');
      setMicError(describeMediaError(err, 'microphone'));
      setMicOn(false);
    },
    [micId],
  );

  const cameraTrack = useDeviceTrack(openCamera, camOn, cameraId, handedOver, onCamOpened, onCamError);
  // The microphone stays open while muted, so unmuting is instant; muting disables the track.
  const micWanted = micOn || micError === null;
  const micTrack = useDeviceTrack(openMicrophone, micWanted, micId, handedOver, onMicOpened, onMicError);
  useEffect(() => {
    if (micTrack) micTrack.enabled = micOn;
  }, [micTrack, micOn]);

  const validName = DisplayName.safeParse(name);
  const askPasscode = !linkPasscode && !isPublic;
  // Signed-in people may leave it empty: the meeting's own host needs none.
  const passcodeMissing = askPasscode && !user && passcode.trim().length === 0;
  const canJoin = supported === true && !e2eeBlocked && account.status !== 'loading' && (user !== null || validName.success) && !passcodeMissing;

  // Focus starts on the name field (a guest), or on Join (the name is the account's).
  useInitialFocus(nameField, account.status !== 'loading' && !user);
  useInitialFocus(joinButton, canJoin && user !== null);

  const join = (e: FormEvent): void => {
    e.preventDefault();
    if (!canJoin) return;
    const guestName = user ? null : validName.success ? validName.data : null;
    savePrefs({ ...(guestName ? { displayName: guestName } : {}), cameraId, micId, speakerId });
    handedOver.current = true;
    onJoin({
      meetingId,
      passcode: linkPasscode ?? (passcode.trim() || null),
      displayName: guestName,
      microphone: micTrack,
      camera: camOn ? cameraTrack : null,
      // Wanted on: a device still opening is opened again by the session.
      micOn,
      camOn,
      cameraId,
      micId,
      speakerId,
      resume: null,
    });
  };

  const browser = parseUserAgent(navigator.userAgent);
  const minimum = policy ? browserShortfall(browser, policy.minimumBrowsers) : null;
  if (policy && minimum !== null) {
    return (
      <main className="center-screen">
        <section className="card end-card" role="alert" data-testid="browser-outdated">
          <h1>Your browser is out of date</h1>
          <p data-testid="browser-outdated-text">{outdatedBrowserText(browser, minimum, policy.supportContact)}</p>
          <p className="muted small">Update your browser, then open the meeting link again.</p>
        </section>
      </main>
    );
  }

  return (
    <div className="page">
      <AccountBar here={{ page: 'meeting', meetingId }} />
      <main className="prejoin">
        <section className="prejoin-preview">
          <div className="preview-frame">
            {cameraTrack && camOn ? (
              <VideoView track={cameraTrack} mirrored testId="preview-video" />
            ) : (
              <>
                <video className="video hidden" muted playsInline data-testid="preview-video" />
                <div className="preview-off">{camError ?? 'Camera is off'}</div>
              </>
            )}
            <div className="preview-toggles">
              <button
                type="button"
                className={`ctl ctl-round${micOn ? '' : ' ctl-off'}`}
                onClick={() => setMicOn((v) => !v)}
                aria-pressed={!micOn}
                data-testid="prejoin-toggle-mic"
                title={micOn ? 'Mute microphone' : 'Unmute microphone'}
              >
                {micOn ? <MicIcon /> : <MicOffIcon />}
              </button>
              <button
                type="button"
                className={`ctl ctl-round${camOn ? '' : ' ctl-off'}`}
                onClick={() => {
                  setCamError(null);
                  setCamOn((v) => !v);
                }}
                aria-pressed={!camOn}
                data-testid="prejoin-toggle-camera"
                title={camOn ? 'Turn camera off' : 'Turn camera on'}
              >
                {camOn ? <CamIcon /> : <CamOffIcon />}
              </button>
            </div>
          </div>
          <MicMeter track={micOn ? micTrack : null} />
          {micError && <p className="error-text small">{micError}</p>}
        </section>
        <section className="card prejoin-form">
          <h1>Ready to join?</h1>
          <p className="muted small mono">{meetingId}</p>
          {sensitive && (
            <p className="sensitivity-note" data-testid="prejoin-sensitivity">
              <SensitivityBadge sensitivity="sensitive" fromLink />
              <span className="muted small">
                {user && user.orgRole !== 'external'
                  ? 'A sensitive meeting: only signed-in members of the organization attend.'
                  : 'A sensitive meeting: only signed-in members of the organization can join. Sign in with your organization account.'}
              </span>
            </p>
          )}
          {e2ee && <E2eeNote />}
          {e2eeSupport && !e2eeSupport.ok && (
            <p className="notice-text error-text" role="alert" data-testid="e2ee-unsupported" title={e2eeSupport.reason}>
              {E2EE_UNSUPPORTED_TEXT}
            </p>
          )}
          {supported === false && (
            <p className="notice-text error-text" role="alert" data-testid="unsupported-browser">
              This browser cannot take part in meetings: it does not support WebRTC audio and video. Open this link in a current Chrome,
              Edge, Firefox or Safari.
            </p>
          )}
          <form onSubmit={join} className="stack">
            {user ? (
              <div className="field">
                <span className="field-label">You will join as</span>
                <span className="identity-line">
                  <span className="identity-name" data-testid="account-display-name">
                    {user.displayName}
                  </span>
                  <IdentityBadge identity={user.orgRole === 'external' ? 'external' : 'member'} />
                </span>
                <span className="muted small">Your name comes from your account.</span>
              </div>
            ) : (
              <label className="field">
                <span className="field-label identity-line">
                  Your name <IdentityBadge identity="guest" />
                </span>
                <input
                  className="input"
                  value={name}
                  maxLength={64}
                  onChange={(e) => setName(e.target.value)}
                  autoComplete="name"
                  ref={nameField}
                  disabled={account.status === 'loading'}
                  data-testid="display-name"
                />
                <span className="muted small">
                  Others will see that you are a guest.{' '}
                  <Link to={{ page: 'signin', next: meetingPath(meetingId) }} testId="prejoin-sign-in">
                    Sign in
                  </Link>{' '}
                  if you have an account.
                </span>
              </label>
            )}
            {askPasscode && (
              <label className="field">
                <span className="field-label">{user ? 'Passcode (the meeting’s host may leave it empty)' : 'Passcode'}</span>
                <input
                  className="input mono"
                  type="password"
                  value={passcode}
                  maxLength={128}
                  onChange={(e) => setPasscode(e.target.value)}
                  autoComplete="off"
                  data-testid="passcode"
                />
              </label>
            )}
            <DeviceSelect
              label="Camera"
              devices={devices.cameras}
              value={cameraId || (cameraTrack?.getSettings().deviceId ?? '')}
              onChange={setCameraId}
              testId="camera-select"
            />
            <DeviceSelect
              label="Microphone"
              devices={devices.microphones}
              value={micId || (micTrack?.getSettings().deviceId ?? '')}
              onChange={setMicId}
              testId="mic-select"
            />
            <DeviceSelect
              label="Speaker"
              devices={devices.speakers}
              value={speakerId}
              onChange={setSpeakerId}
              testId="speaker-select"
              disabled={!supportsSpeakerSelection()}
            />
            <button ref={joinButton} type="submit" className="btn btn-primary btn-large" disabled={!canJoin} data-testid="join-button">
              Join meeting
            </button>
          </form>
        </section>
      </main>
    </div>
  );
}
