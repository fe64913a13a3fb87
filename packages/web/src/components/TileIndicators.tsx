/**
 * What a tile's name plate says about the person besides their name: a mic-off mark with the word
 * ("Muted", or "Muted by host" when a moderator muted them), and bars for their connection quality
 * (good three, fair two, poor one), named for screen readers, with the numbers in the tooltip.
 */
import type { ReactElement } from 'react';
import { QUALITY_BARS, qualityDetails, qualityLabel, type PersonQuality } from '../lib/networkQuality.js';
import { MicOffIcon } from './Icons.js';

export function MuteIndicator({ byHost }: { byHost: boolean }): ReactElement {
  const text = byHost ? 'Muted by host' : 'Muted';
  return (
    <span
      className={`tile-muted${byHost ? ' tile-muted-host' : ''}`}
      role="img"
      aria-label={`${text}, microphone off`}
      title={byHost ? 'A host muted this microphone' : 'Microphone off'}
      data-testid="tile-muted"
      data-by-host={byHost ? 'true' : undefined}
    >
      <MicOffIcon className="icon icon-small" />
      <span className="tile-muted-text" aria-hidden="true">
        {text}
      </span>
    </span>
  );
}

export function QualityBars({ quality, isSelf }: { quality: PersonQuality; isSelf: boolean }): ReactElement {
  const lit = QUALITY_BARS[quality.level];
  const details = qualityDetails(quality, isSelf);
  return (
    <span className={`tile-quality tile-quality-${quality.level}`} role="img" aria-label={qualityLabel(quality)} title={details} data-testid="tile-quality" data-level={quality.level}>
      <svg viewBox="0 0 12 12" aria-hidden="true" className="tile-quality-bars">
        {[0, 1, 2].map((i) => (
          <rect key={i} x={1 + i * 4} y={8 - i * 3} width="2.6" height={3 + i * 3} rx="0.6" className={i < lit ? 'bar-on' : 'bar-off'} />
        ))}
      </svg>
    </span>
  );
}
