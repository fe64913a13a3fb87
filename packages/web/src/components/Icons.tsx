/** Line icons as React SVG (no icon font, no external sprite: the CSP allows only our own origin). */
import type { ReactElement } from 'react';

type IconProps = { className?: string };

function Svg({ className, children }: IconProps & { children: ReactElement | ReactElement[] }): ReactElement {
  return (
    <svg
      className={className ?? 'icon'}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={2}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      {children}
    </svg>
  );
}

export const MicIcon = (p: IconProps): ReactElement => (
  <Svg {...p}>
    <rect x="9" y="3" width="6" height="11" rx="3" />
    <path d="M5 11a7 7 0 0 0 14 0M12 18v3" />
  </Svg>
);

export const MicOffIcon = (p: IconProps): ReactElement => (
  <Svg {...p}>
    <path d="M15 9.3V6a3 3 0 0 0-5.7-1.3M9 9v2a3 3 0 0 0 4.8 2.4" />
    <path d="M19 11a7 7 0 0 1-1.1 3.8M5 11a7 7 0 0 0 10.8 5.9M12 18v3M3 3l18 18" />
  </Svg>
);

export const CamIcon = (p: IconProps): ReactElement => (
  <Svg {...p}>
    <rect x="2" y="6" width="14" height="12" rx="2" />
    <path d="m16 10 6-3v10l-6-3z" />
  </Svg>
);

export const CamOffIcon = (p: IconProps): ReactElement => (
  <Svg {...p}>
    <path d="M10 6h4a2 2 0 0 1 2 2v4l6-3v10M16 16a2 2 0 0 1-2 2H4a2 2 0 0 1-2-2V8a2 2 0 0 1 2-2" />
    <path d="M3 3l18 18" />
  </Svg>
);

export const ScreenIcon = (p: IconProps): ReactElement => (
  <Svg {...p}>
    <rect x="2" y="4" width="20" height="13" rx="2" />
    <path d="M8 21h8M12 17v4M12 13V8M9.5 10.5 12 8l2.5 2.5" />
  </Svg>
);

export const PeopleIcon = (p: IconProps): ReactElement => (
  <Svg {...p}>
    <circle cx="9" cy="8" r="3.5" />
    <path d="M2.5 20a6.5 6.5 0 0 1 13 0M16 4.5a3.5 3.5 0 0 1 0 7M18 14.5a6.5 6.5 0 0 1 3.5 5.5" />
  </Svg>
);

export const LeaveIcon = (p: IconProps): ReactElement => (
  <Svg {...p}>
    <path d="M3 13.5c5-4.5 13-4.5 18 0l-2.2 2.6-3.3-1.6v-2.6a11 11 0 0 0-7 0v2.6l-3.3 1.6z" />
  </Svg>
);

export const CopyIcon = (p: IconProps): ReactElement => (
  <Svg {...p}>
    <rect x="9" y="9" width="12" height="12" rx="2" />
    <path d="M5 15V5a2 2 0 0 1 2-2h8" />
  </Svg>
);

export const LockIcon = (p: IconProps): ReactElement => (
  <Svg {...p}>
    <rect x="4" y="11" width="16" height="10" rx="2" />
    <path d="M8 11V7a4 4 0 0 1 8 0v4" />
  </Svg>
);

export const ShieldIcon = (p: IconProps): ReactElement => (
  <Svg {...p}>
    <path d="M12 3 4.5 6v5.5c0 4.4 3.1 8.3 7.5 9.5 4.4-1.2 7.5-5.1 7.5-9.5V6z" />
    <path d="m9 12 2 2 4-4" />
  </Svg>
);

export const WaitingIcon = (p: IconProps): ReactElement => (
  <Svg {...p}>
    <path d="M4 21V5a2 2 0 0 1 2-2h7a2 2 0 0 1 2 2v16M2 21h15" />
    <path d="M11 12h.01M19 8v6M16 11h6" />
  </Svg>
);

export const HandIcon = (p: IconProps): ReactElement => (
  <Svg {...p}>
    <path d="M8 13V5.5a1.5 1.5 0 0 1 3 0V11M11 10.5v-7a1.5 1.5 0 0 1 3 0v7M14 10.5v-5a1.5 1.5 0 0 1 3 0v7" />
    <path d="M17 10.5a1.5 1.5 0 0 1 3 0V14a7 7 0 0 1-7 7h-1a7 7 0 0 1-5.6-2.8L4 15.5a1.6 1.6 0 0 1 2.5-2L8 15" />
  </Svg>
);

export const ChatIcon = (p: IconProps): ReactElement => (
  <Svg {...p}>
    <path d="M21 12a8 8 0 0 1-11.6 7.1L4 20.5l1.4-4.8A8 8 0 1 1 21 12z" />
  </Svg>
);

export const SmileIcon = (p: IconProps): ReactElement => (
  <Svg {...p}>
    <circle cx="12" cy="12" r="9" />
    <path d="M8.5 14a4.5 4.5 0 0 0 7 0M9 9.5h.01M15 9.5h.01" />
  </Svg>
);

export const PinIcon = (p: IconProps): ReactElement => (
  <Svg {...p}>
    <path d="M9 4h6l-1 6 3 3H7l3-3zM12 13v8" />
  </Svg>
);

export const GridIcon = (p: IconProps): ReactElement => (
  <Svg {...p}>
    <rect x="3" y="3" width="8" height="8" rx="1" />
    <rect x="13" y="3" width="8" height="8" rx="1" />
    <rect x="3" y="13" width="8" height="8" rx="1" />
    <rect x="13" y="13" width="8" height="8" rx="1" />
  </Svg>
);

export const SpeakerViewIcon = (p: IconProps): ReactElement => (
  <Svg {...p}>
    <rect x="3" y="3" width="18" height="12" rx="1.5" />
    <path d="M3 19h4M10 19h4M17 19h4" />
  </Svg>
);
