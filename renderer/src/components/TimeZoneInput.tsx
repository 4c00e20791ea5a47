// A time zone field: free text (any IANA name the core accepts) with the browser's list as suggestions.
import { useId } from 'react';

let zones: string[] | null = null;
const allZones = (): string[] => {
  if (!zones) {
    try {
      zones = Intl.supportedValuesOf('timeZone');
    } catch {
      zones = [];
    }
    if (!zones.includes('UTC')) zones = ['UTC', ...zones];
  }
  return zones;
};

/** The time zone this browser (or desktop) runs in: the default for new mailboxes and ramps. */
export const browserTimeZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

export function TimeZoneInput(props: { label: string; value: string; onChange: (tz: string) => void; error?: string | null; name?: string }): React.JSX.Element {
  const id = useId();
  return (
    <div className="field grow">
      <label htmlFor={`${id}-tz`}>{props.label}</label>
      <input
        id={`${id}-tz`}
        name={props.name}
        list={`${id}-zones`}
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
        autoComplete="off"
        spellCheck={false}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={props.error ? `${id}-err` : undefined}
      />
      <datalist id={`${id}-zones`}>
        {allZones().map((z) => (
          <option key={z} value={z} />
        ))}
      </datalist>
      {props.error && (
        <span className="field-error" id={`${id}-err`}>
          {props.error}
        </span>
      )}
    </div>
  );
}
