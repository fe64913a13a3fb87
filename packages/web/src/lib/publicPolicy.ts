/**
 * The part of the organization's policy every user may read (`GET /api/policy/public`): the locks
 * hosts see, whether guests may moderate, the minimum browser versions and the IT support contact.
 * Read once per page (the server enforces all of it whatever this copy says).
 */
import { useEffect, useState } from 'react';
import { PublicPolicy } from '@parley/protocol';
import { ApiClient } from './api.js';

let loading: Promise<PublicPolicy | null> | undefined;

/** The public policy, fetched once per page load; null if the server could not be asked. */
export function loadPublicPolicy(): Promise<PublicPolicy | null> {
  loading ??= new ApiClient(() => null).call('GET', '/api/policy/public', PublicPolicy).catch(() => {
    loading = undefined;
    return null;
  });
  return loading;
}

export function usePublicPolicy(): PublicPolicy | null {
  const [policy, setPolicy] = useState<PublicPolicy | null>(null);
  useEffect(() => {
    let live = true;
    void loadPublicPolicy().then((p) => live && setPolicy(p));
    return () => {
      live = false;
    };
  }, []);
  return policy;
}
