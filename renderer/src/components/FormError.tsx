// An API error next to the form that caused it: the message and code, then each field the core
// refused with its reason (VALIDATION_FAILED carries them in `details`).
import type { AppError } from '../stores/errors';
import { fieldIssues, pathLabel } from '../lib/issues';

export function FormError({ error, onRetry }: { error: AppError; onRetry?: () => void }): React.JSX.Element {
  const issues = fieldIssues(error);
  return (
    <div className="error-box form-error" role="alert" data-testid="form-error">
      <div>
        <p>
          {error.message} <span className="code">({error.code})</span>
        </p>
        {issues.length > 0 && (
          <ul className="issues">
            {issues.map((i) => (
              <li key={`${i.path}:${i.message}`}>
                <strong>{pathLabel(i.path)}</strong>: {i.message}
              </li>
            ))}
          </ul>
        )}
      </div>
      {onRetry && (
        <button type="button" onClick={onRetry}>
          Retry
        </button>
      )}
    </div>
  );
}
