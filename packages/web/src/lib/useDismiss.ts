/**
 * Closes a popover the way people expect: Escape, or a pointer press outside it. `keep` exempts a
 * press (for example on the button that toggles the popover, which handles it itself).
 */
import { useEffect, type RefObject } from 'react';

export function useDismiss(ref: RefObject<HTMLElement | null>, active: boolean, dismiss: () => void, keep?: (target: Node) => boolean): void {
  useEffect(() => {
    if (!active) return;
    const onPointer = (e: PointerEvent): void => {
      const target = e.target;
      if (ref.current && target instanceof Node && !ref.current.contains(target) && !keep?.(target)) dismiss();
    };
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === 'Escape') dismiss();
    };
    document.addEventListener('pointerdown', onPointer);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('pointerdown', onPointer);
      document.removeEventListener('keydown', onKey);
    };
  }, [ref, active, dismiss, keep]);
}
