/**
 * A microphone level meter: WebAudio AnalyserNode on the track, drawn by scaling a bar through the
 * CSSOM each animation frame (no React render per frame, no style attribute).
 */
import { useEffect, useRef, type ReactElement } from 'react';

export function MicMeter({ track }: { track: MediaStreamTrack | null }): ReactElement {
  const barRef = useRef<HTMLSpanElement>(null);
  const meterRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const bar = barRef.current;
    const meter = meterRef.current;
    if (!bar || !meter) return;
    const show = (level: number): void => {
      bar.style.transform = `scaleX(${level.toFixed(3)})`;
      meter.setAttribute('aria-valuenow', String(Math.round(level * 100)));
    };
    if (!track) {
      show(0);
      return;
    }
    const ctx = new AudioContext();
    const source = ctx.createMediaStreamSource(new MediaStream([track]));
    const analyser = ctx.createAnalyser();
    analyser.fftSize = 512;
    source.connect(analyser);
    const samples = new Float32Array(analyser.fftSize);
    // Browsers may start an AudioContext suspended until the person interacts with the page.
    const resume = (): void => void ctx.resume();
    document.addEventListener('pointerdown', resume, { once: true });
    let frame = 0;
    let smoothed = 0;
    const tick = (): void => {
      analyser.getFloatTimeDomainData(samples);
      let sum = 0;
      for (const s of samples) sum += s * s;
      const rms = Math.sqrt(sum / samples.length);
      // Roughly perceptual: -60 dBFS → 0, 0 dBFS → 1.
      const level = track.enabled ? Math.min(1, Math.max(0, (20 * Math.log10(rms + 1e-9) + 60) / 60)) : 0;
      smoothed = Math.max(level, smoothed * 0.85);
      show(smoothed);
      frame = requestAnimationFrame(tick);
    };
    frame = requestAnimationFrame(tick);
    return () => {
      cancelAnimationFrame(frame);
      document.removeEventListener('pointerdown', resume);
      source.disconnect();
      void ctx.close();
    };
  }, [track]);

  return (
    <div
      ref={meterRef}
      className="mic-meter"
      role="meter"
      aria-label="Microphone level"
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={0}
      data-testid="mic-meter"
    >
      <span ref={barRef} className="mic-meter-bar" />
    </div>
  );
}
