/**
 * The video area. Without screen shares: an even grid of camera tiles. With one: spotlight layout,
 * the share large and the cameras in a strip beside it.
 */
import type { CSSProperties, ReactElement } from 'react';
import type { Tile } from '../lib/tiles.js';
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

export function Stage({ cameras, screens }: { cameras: Tile[]; screens: Tile[] }): ReactElement {
  const [main, ...otherScreens] = screens;
  if (!main) {
    return (
      <div className="stage">
        <div className="grid" data-testid="video-grid" data-cols={columns(cameras.length)} style={gridStyle(cameras.length)}>
          {cameras.map((t) => (
            <TileView key={t.key} tile={t} />
          ))}
        </div>
      </div>
    );
  }
  return (
    <div className="stage stage-spotlight">
      <div className="spotlight">
        <TileView tile={main} variant="spotlight" />
      </div>
      <div className="strip" data-testid="video-grid">
        {[...otherScreens, ...cameras].map((t) => (
          <TileView key={t.key} tile={t} variant="strip" />
        ))}
      </div>
    </div>
  );
}
