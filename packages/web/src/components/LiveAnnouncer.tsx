/**
 * A polite ARIA live region for the meeting (lib/announcements.ts): joins, leaves, raised hands, for
 * moderators who waits and who was admitted, and being muted by the host. Visually hidden: the
 * screen shows the same things on its tiles, lists and notices.
 */
import { useEffect, useRef, useState, type ReactElement } from 'react';
import { announcement, emptyBatch, gather, isEmpty, type Batch, type Seen } from '../lib/announcements.js';

/** How long changes gather before they are said together. */
const GATHER_MS = 1500;
/** Announcements kept in the region (new ones are what is read). */
const KEEP = 3;

export function LiveAnnouncer({ seen, moderator }: { seen: Seen; moderator: boolean }): ReactElement {
  const [said, setSaid] = useState<{ id: number; text: string }[]>([]);
  const last = useRef<Seen | null>(null);
  const batch = useRef<Batch>(emptyBatch());
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const counter = useRef(0);
  const moderatorRef = useRef(moderator);
  moderatorRef.current = moderator;

  useEffect(() => {
    const prev = last.current;
    last.current = seen;
    // The first state is who was already here: nothing to announce.
    if (!prev) return;
    batch.current = gather(batch.current, prev, seen);
    if (isEmpty(batch.current) || timer.current) return;
    timer.current = setTimeout(() => {
      timer.current = null;
      const text = announcement(batch.current, moderatorRef.current);
      batch.current = emptyBatch();
      if (text) setSaid((list) => [...list, { id: ++counter.current, text }].slice(-KEEP));
    }, GATHER_MS);
  }, [seen]);

  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );

  return (
    <div className="visually-hidden" role="status" aria-live="polite" data-testid="live-region">
      {said.map((s) => (
        <p key={s.id}>{s.text}</p>
      ))}
    </div>
  );
}
