/** A <video> bound to one MediaStreamTrack. Audio is never played here (remote audio has its own element). */
import { useEffect, useRef, type ReactElement } from 'react';

export function VideoView({
  track,
  mirrored = false,
  fit = 'cover',
  testId,
}: {
  track: MediaStreamTrack;
  mirrored?: boolean;
  fit?: 'cover' | 'contain';
  testId?: string;
}): ReactElement {
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    el.srcObject = new MediaStream([track]);
    el.play().catch(() => undefined);
    return () => {
      el.srcObject = null;
    };
  }, [track]);
  return (
    <video
      ref={ref}
      className={`video fit-${fit}${mirrored ? ' mirrored' : ''}`}
      autoPlay
      playsInline
      muted
      data-testid={testId}
    />
  );
}
