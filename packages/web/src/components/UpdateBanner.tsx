/** The banner a tab shows when a new build of Parley is deployed and this one is still accepted. */
import type { ReactElement } from 'react';
import { reloadForUpdate, useBuildNotice } from '../lib/clientBuild.js';

export function UpdateBanner(): ReactElement | null {
  const notice = useBuildNotice();
  if (!notice) return null;
  return (
    <div className="update-banner" role="status" data-testid="update-banner" data-required={notice.required ? 'true' : undefined}>
      {notice.required ? (
        <span>A new version of Parley is available — reloading…</span>
      ) : (
        <>
          <span>A new version is available.</span>
          <button type="button" className="btn btn-small btn-primary" onClick={() => window.location.reload()} data-testid="update-reload">
            Reload
          </button>
        </>
      )}
      {notice.required && (
        <button type="button" className="btn btn-small" onClick={() => reloadForUpdate(Number.MAX_SAFE_INTEGER)} data-testid="update-reload">
          Reload now
        </button>
      )}
    </div>
  );
}
