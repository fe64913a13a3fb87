/** Plays one remote audio track through the chosen speaker. */
import { useEffect, useRef, type ReactElement } from 'react';
import { applySpeaker } from '../lib/media.js';

export function RemoteAudio({ track, speakerId, trackId }: { track: MediaStreamTrack; speakerId: string; trackId: string }): ReactElement {
  const ref = useRef<HTMLAudioElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    el.srcObject = new MediaStream([track]);
    el.play().catch(() => undefined);
    return () => {
      el.srcObject = null;
    };
  }, [track]);
  useEffect(() => {
    if (ref.current) void applySpeaker(ref.current, speakerId);
  }, [speakerId]);
  return <audio ref={ref} autoPlay data-track-id={trackId} />;
}
