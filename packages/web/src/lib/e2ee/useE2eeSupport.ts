/** The pre-join screen's question for an end-to-end encrypted meeting: can this browser encrypt? (null while probing, or not asked). */
import { useEffect, useState } from 'react';
import { e2eeSupport, type E2eeSupport } from './support.js';

export function useE2eeSupport(wanted: boolean): E2eeSupport | null {
  const [support, setSupport] = useState<E2eeSupport | null>(null);
  useEffect(() => {
    if (!wanted) return;
    let cancelled = false;
    void e2eeSupport().then((result) => {
      if (!cancelled) setSupport(result);
    });
    return () => {
      cancelled = true;
    };
  }, [wanted]);
  return wanted ? support : null;
}
