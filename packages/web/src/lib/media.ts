/** Local devices: opening the camera, microphone and screen, listing devices, choosing a speaker. */

export const CAMERA_CONSTRAINTS: MediaTrackConstraints = {
  width: { ideal: 1280 },
  height: { ideal: 720 },
  frameRate: { ideal: 30, max: 30 },
};

const MIC_CONSTRAINTS: MediaTrackConstraints = { echoCancellation: true, noiseSuppression: true, autoGainControl: true };

function withDevice(base: MediaTrackConstraints, deviceId: string): MediaTrackConstraints {
  return deviceId ? { ...base, deviceId: { exact: deviceId } } : base;
}

export async function openCamera(deviceId = ''): Promise<MediaStreamTrack> {
  const stream = await navigator.mediaDevices.getUserMedia({ video: withDevice(CAMERA_CONSTRAINTS, deviceId) });
  const [track] = stream.getVideoTracks();
  if (!track) throw new Error('no camera track');
  return track;
}

export async function openMicrophone(deviceId = ''): Promise<MediaStreamTrack> {
  const stream = await navigator.mediaDevices.getUserMedia({ audio: withDevice(MIC_CONSTRAINTS, deviceId) });
  const [track] = stream.getAudioTracks();
  if (!track) throw new Error('no microphone track');
  return track;
}

export async function openScreen(): Promise<MediaStreamTrack> {
  const stream = await navigator.mediaDevices.getDisplayMedia({ video: { frameRate: { ideal: 15, max: 30 } }, audio: false });
  const [track] = stream.getVideoTracks();
  if (!track) throw new Error('no screen track');
  // Favour sharp text over motion when the encoder has to choose.
  track.contentHint = 'detail';
  return track;
}

/** A short human explanation of a getUserMedia / getDisplayMedia failure. */
export function describeMediaError(err: unknown, what: string): string {
  const name = err instanceof DOMException ? err.name : '';
  switch (name) {
    case 'NotAllowedError':
      return `Access to the ${what} was blocked. You can allow it in the browser's site settings.`;
    case 'NotFoundError':
    case 'OverconstrainedError':
      return `No ${what} was found.`;
    case 'NotReadableError':
      return `The ${what} is in use by another application.`;
    default:
      return `The ${what} could not be started.`;
  }
}

export interface DeviceLists {
  cameras: MediaDeviceInfo[];
  microphones: MediaDeviceInfo[];
  speakers: MediaDeviceInfo[];
}

export async function listDevices(): Promise<DeviceLists> {
  const all = await navigator.mediaDevices.enumerateDevices();
  // Without permission, browsers list devices with empty IDs; those cannot be selected.
  const usable = all.filter((d) => d.deviceId !== '');
  return {
    cameras: usable.filter((d) => d.kind === 'videoinput'),
    microphones: usable.filter((d) => d.kind === 'audioinput'),
    speakers: usable.filter((d) => d.kind === 'audiooutput'),
  };
}

type SinkCapable = HTMLMediaElement & { setSinkId(id: string): Promise<void> };

export function supportsSpeakerSelection(): boolean {
  return typeof HTMLMediaElement !== 'undefined' && 'setSinkId' in HTMLMediaElement.prototype;
}

/** Routes `el`'s audio to the speaker `deviceId` ('' = system default) where the browser allows it. */
export async function applySpeaker(el: HTMLMediaElement, deviceId: string): Promise<void> {
  if (!supportsSpeakerSelection()) return;
  try {
    await (el as SinkCapable).setSinkId(deviceId);
  } catch (err) {
    console.warn('setSinkId failed', err);
  }
}
