/** The pre-join screen's media hooks: a device track that follows the chosen device, and whether this browser can do WebRTC. */
import { useEffect, useState, type RefObject } from 'react';
import { mediaSupported } from './media/device.js';

/** Opens a device track while `enabled`, reopening when `deviceId` changes; stops it unless handed over. */
export function useDeviceTrack(
  open: (deviceId: string) => Promise<MediaStreamTrack>,
  enabled: boolean,
  deviceId: string,
  handedOver: RefObject<boolean>,
  onOpened: () => void,
  onError: (err: unknown) => void,
): MediaStreamTrack | null {
  const [track, setTrack] = useState<MediaStreamTrack | null>(null);
  useEffect(() => {
    if (!enabled) {
      setTrack(null);
      return;
    }
    let cancelled = false;
    let opened: MediaStreamTrack | null = null;
    open(deviceId).then(
      (t) => {
        if (cancelled) return t.stop();
        opened = t;
        setTrack(t);
        onOpened();
      },
      (err: unknown) => {
        if (!cancelled) onError(err);
      },
    );
    return () => {
      cancelled = true;
      if (opened && !handedOver.current) opened.stop();
    };
    // Only `enabled` and `deviceId` reopen the device; the callbacks are read at settle time.
  }, [enabled, deviceId]);
  return track;
}

/** Whether this browser can take part: null while checking. */
export function useMediaSupport(): boolean | null {
  const [supported, setSupported] = useState<boolean | null>(null);
  useEffect(() => {
    let cancelled = false;
    void mediaSupported().then((ok) => {
      if (!cancelled) setSupported(ok);
    });
    return () => {
      cancelled = true;
    };
  }, []);
  return supported;
}
