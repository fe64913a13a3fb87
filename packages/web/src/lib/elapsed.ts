/** "How long it has been running", as the Meeting info popover says it. */

/** `m:ss` under an hour, `h:mm:ss` from then; never negative (the clocks of server and browser may differ). */
export function elapsedText(startedAt: number, now: number): string {
  const total = Math.max(0, Math.floor((now - startedAt) / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}
