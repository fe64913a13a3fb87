/**
 * The device settings dialog in the meeting: camera, microphone and speaker, with a live preview of
 * the camera and the microphone's level, as on the pre-join screen. A change applies at once (the
 * track is replaced on its publication, nothing is renegotiated) and is remembered for next time.
 * The lists follow devices being plugged in and removed. The speaker choice shows only where the
 * browser can route audio (`setSinkId`): elsewhere it is not offered, rather than pretending.
 */
import { useCallback, useEffect, useRef, useState, type ReactElement } from 'react';
import type { DeviceKind } from '../../lib/devices/deviceFollower.js';
import { listDevices, openCamera, supportsSpeakerSelection, type DeviceLists } from '../../lib/media.js';
import { savePrefs } from '../../lib/prefs.js';
import { useDeviceTrack } from '../../lib/usePreJoinMedia.js';
import { DeviceSelect } from '../DeviceSelect.js';
import { MicMeter } from '../MicMeter.js';
import { VideoView } from '../VideoView.js';

const NO_DEVICES: DeviceLists = { cameras: [], microphones: [], speakers: [] };

export interface DeviceSettingsProps {
  camOn: boolean;
  micOn: boolean;
  cameraTrack: MediaStreamTrack | null;
  micTrack: MediaStreamTrack | null;
  cameraId: string;
  micId: string;
  speakerId: string;
  onChange: (kind: DeviceKind, deviceId: string) => Promise<void>;
  onClose: () => void;
}

function useDeviceLists(): DeviceLists {
  const [devices, setDevices] = useState<DeviceLists>(NO_DEVICES);
  useEffect(() => {
    let live = true;
    const refresh = (): void => {
      listDevices().then(
        (d) => live && setDevices(d),
        () => live && setDevices(NO_DEVICES),
      );
    };
    refresh();
    navigator.mediaDevices?.addEventListener('devicechange', refresh);
    return () => {
      live = false;
      navigator.mediaDevices?.removeEventListener('devicechange', refresh);
    };
  }, []);
  return devices;
}

export function DeviceSettings(p: DeviceSettingsProps): ReactElement {
  const ref = useRef<HTMLDialogElement>(null);
  const devices = useDeviceLists();
  const [busy, setBusy] = useState<DeviceKind | null>(null);
  // With the camera off, the preview opens the chosen camera for this dialog only (and stops it on close).
  const notHandedOver = useRef(false);
  const [previewError, setPreviewError] = useState(false);
  const noop = useCallback(() => setPreviewError(false), []);
  const failed = useCallback(() => setPreviewError(true), []);
  const preview = useDeviceTrack(openCamera, !p.camOn, p.cameraId, notHandedOver, noop, failed);
  const shown = p.camOn ? p.cameraTrack : preview;

  // Closing returns focus to what opened it (the gear), whichever way it closes.
  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => {
      dialog?.close();
      opener?.focus();
    };
  }, []);

  const choose = (kind: DeviceKind) => (deviceId: string) => {
    savePrefs(kind === 'camera' ? { cameraId: deviceId } : kind === 'microphone' ? { micId: deviceId } : { speakerId: deviceId });
    setBusy(kind);
    void p.onChange(kind, deviceId).finally(() => setBusy(null));
  };

  const current = (chosen: string, track: MediaStreamTrack | null): string => chosen || (track?.getSettings().deviceId ?? '');
  return (
    <dialog ref={ref} className="dialog device-settings" onCancel={p.onClose} aria-labelledby="device-settings-title" data-testid="device-settings">
      <h2 id="device-settings-title">Audio and video</h2>
      <div className="device-settings-preview">
        {shown ? (
          <VideoView track={shown} mirrored testId="device-preview" />
        ) : (
          <div className="preview-off">{previewError ? 'The camera could not be started.' : p.camOn ? 'Starting the camera…' : 'No camera'}</div>
        )}
      </div>
      {!p.camOn && <p className="muted small">Your camera is off: this preview is for you only.</p>}
      <div className="stack">
        <DeviceSelect label="Camera" devices={devices.cameras} value={current(p.cameraId, shown)} onChange={choose('camera')} testId="settings-camera-select" disabled={busy === 'camera'} />
        <DeviceSelect label="Microphone" devices={devices.microphones} value={current(p.micId, p.micTrack)} onChange={choose('microphone')} testId="settings-mic-select" disabled={busy === 'microphone'} />
        <MicMeter track={p.micOn ? p.micTrack : null} />
        {!p.micOn && <p className="muted small" data-testid="settings-mic-muted">You are muted: the level shows once you unmute.</p>}
        {supportsSpeakerSelection() && <DeviceSelect label="Speaker" devices={devices.speakers} value={p.speakerId} onChange={choose('speaker')} testId="settings-speaker-select" />}
      </div>
      <div className="row dialog-actions">
        <button type="button" className="btn btn-primary" onClick={p.onClose} data-testid="device-settings-done" autoFocus>
          Done
        </button>
      </div>
    </dialog>
  );
}
