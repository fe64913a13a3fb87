/**
 * The knock: a short two-tone chime synthesised with WebAudio, so no audio file is fetched from
 * anywhere. One AudioContext is created on first use and kept (browsers limit how many exist).
 */
let ctx: AudioContext | null = null;

function context(): AudioContext | null {
  if (typeof AudioContext === 'undefined') return null;
  ctx ??= new AudioContext();
  // Started by a click earlier in the session (joining), so resuming is allowed.
  if (ctx.state === 'suspended') void ctx.resume().catch(() => undefined);
  return ctx;
}

function tone(audio: AudioContext, frequency: number, startAt: number, seconds: number): void {
  const osc = audio.createOscillator();
  const gain = audio.createGain();
  osc.type = 'sine';
  osc.frequency.value = frequency;
  // A soft attack and release: no click at either end.
  gain.gain.setValueAtTime(0, startAt);
  gain.gain.linearRampToValueAtTime(0.18, startAt + 0.015);
  gain.gain.exponentialRampToValueAtTime(0.0001, startAt + seconds);
  osc.connect(gain).connect(audio.destination);
  osc.start(startAt);
  osc.stop(startAt + seconds + 0.02);
  osc.addEventListener('ended', () => gain.disconnect());
}

/** Plays the knock chime. Never throws: a missing or blocked audio device only loses the sound. */
export function knockChime(): void {
  try {
    const audio = context();
    if (!audio) return;
    const now = audio.currentTime + 0.01;
    tone(audio, 880, now, 0.14);
    tone(audio, 1175, now + 0.16, 0.2);
  } catch (err) {
    console.warn('knock chime failed', err);
  }
}
