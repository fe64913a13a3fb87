/**
 * The video area, as layout.ts decides it. Grid: a page of camera tiles in an even grid. Spotlight
 * (speaker view, or a screen share): the large tile and a filmstrip of the others. With more tiles
 * than fit, previous/next buttons page through them.
 */
import type { CSSProperties, ReactElement } from 'react';
import type { Layout } from '../lib/layout.js';
import { TileView } from './TileView.js';

function columns(count: number): number {
  return count <= 1 ? 1 : count <= 4 ? 2 : count <= 9 ? 3 : 4;
}

function gridStyle(count: number): CSSProperties {
  const cols = columns(count);
  const rows = Math.ceil(count / cols);
  // Set through React's style prop, i.e. the CSSOM, which the CSP (style-src 'self') allows.
  return { gridTemplateColumns: `repeat(${cols}, minmax(0, 1fr))`, gridTemplateRows: `repeat(${rows}, minmax(0, 1fr))` };
}

export function Stage({ layout, onPin, onPage }: { layout: Layout; onPin: (key: string | null) => void; onPage: (page: number) => void }): ReactElement {
  const { main, tiles } = layout;
  const pager = <Pager page={layout.page} pageCount={layout.pageCount} onPage={onPage} />;
  if (layout.kind === 'grid') {
    return (
      <div className="stage stage-grid" data-testid="stage" data-layout="grid">
        <div className="grid" data-testid="video-grid" data-cols={columns(tiles.length)} data-count={tiles.length} style={gridStyle(tiles.length)}>
          {tiles.map((t) => (
            <TileView key={t.key} tile={t} onPin={onPin} />
          ))}
        </div>
        {pager}
      </div>
    );
  }
  return (
    <div className="stage stage-spotlight" data-testid="stage" data-layout="speaker">
      <div className="spotlight" data-testid="speaker-main">
        {main && <TileView tile={main} variant="spotlight" onPin={onPin} />}
      </div>
      <div className="strip-column">
        {/* Scrolls when it holds more than fit: focusable, so the keyboard can scroll it too. */}
        <div className="strip" data-testid="video-grid" role="region" aria-label="Other participants" tabIndex={0}>
          {tiles.map((t) => (
            <TileView key={t.key} tile={t} variant="strip" onPin={onPin} />
          ))}
        </div>
        {pager}
      </div>
    </div>
  );
}

function Pager({ page, pageCount, onPage }: { page: number; pageCount: number; onPage: (page: number) => void }): ReactElement | null {
  if (pageCount <= 1) return null;
  return (
    <nav className="pager" aria-label="Pages of participants">
      <button type="button" className="btn btn-small" onClick={() => onPage(page - 1)} disabled={page === 0} data-testid="page-prev" aria-label="Previous page">
        ‹
      </button>
      <span className="pager-text" data-testid="page-indicator" aria-live="polite">
        {page + 1} / {pageCount}
      </span>
      <button
        type="button"
        className="btn btn-small"
        onClick={() => onPage(page + 1)}
        disabled={page >= pageCount - 1}
        data-testid="page-next"
        aria-label="Next page"
      >
        ›
      </button>
    </nav>
  );
}
