/** A labelled <select> of media devices. */
import type { ReactElement } from 'react';

export function DeviceSelect({
  label,
  devices,
  value,
  onChange,
  testId,
  disabled = false,
}: {
  label: string;
  devices: MediaDeviceInfo[];
  value: string;
  onChange: (deviceId: string) => void;
  testId: string;
  disabled?: boolean;
}): ReactElement {
  const known = devices.some((d) => d.deviceId === value);
  return (
    <label className="field">
      <span className="field-label">{label}</span>
      <select
        className="select"
        value={known ? value : ''}
        onChange={(e) => onChange(e.target.value)}
        data-testid={testId}
        disabled={disabled || devices.length === 0}
      >
        {!known && <option value="">{devices.length === 0 ? 'None available' : 'Default'}</option>}
        {devices.map((d, i) => (
          <option key={d.deviceId} value={d.deviceId}>
            {d.label || `${label} ${i + 1}`}
          </option>
        ))}
      </select>
    </label>
  );
}
