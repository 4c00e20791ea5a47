// Loading, error and empty states: every screen shows them the same way.
import type { ReactNode } from 'react';
import type { AppError } from '../stores/errors';

export function Loading({ label = 'Loading…' }: { label?: string }): React.JSX.Element {
  return (
    <p className="muted loading" role="status" aria-live="polite">
      {label}
    </p>
  );
}

export function ErrorBox({ error, onRetry }: { error: AppError; onRetry?: () => void }): React.JSX.Element {
  return (
    <div className="error-box" role="alert">
      <p>
        {error.message} <span className="code">({error.code})</span>
      </p>
      {onRetry && (
        <button type="button" onClick={onRetry}>
          Retry
        </button>
      )}
    </div>
  );
}

/** What a new user sees instead of an empty table: what this is, and the next step. */
export function EmptyState({ title, children, action }: { title: string; children?: ReactNode; action?: ReactNode }): React.JSX.Element {
  return (
    <div className="empty-state">
      <h3>{title}</h3>
      {children && <p className="muted">{children}</p>}
      {action}
    </div>
  );
}

export function ProgressBar({ value, max, label }: { value: number; max: number; label: string }): React.JSX.Element {
  return (
    <div className="progress">
      <progress value={value} max={Math.max(max, 1)} aria-label={label} />
      <span className="muted">
        {value} / {max}
      </span>
    </div>
  );
}
