// A control shown only when this session may call the method behind it (see `can` in stores/app):
// a read-only token sees the data without buttons that would answer FORBIDDEN.
import type { ReactNode } from 'react';
import { api, type MethodName } from '../../../shared/api/table';
import { useCan } from '../stores/app';

export function Can({ call, children, otherwise = null }: { call: MethodName; children: ReactNode; otherwise?: ReactNode }): ReactNode {
  return useCan(call) ? children : otherwise;
}

/**
 * Form fields that stay readable but cannot be changed when this session may not call `call`
 * (a disabled fieldset that adds no box of its own).
 */
export function Editable({ call, children }: { call: MethodName; children: ReactNode }): React.JSX.Element {
  return (
    <fieldset disabled={!useCan(call)} style={{ display: 'contents' }}>
      {children}
    </fieldset>
  );
}

/** Why a section's controls are missing, shown only when this session may not call `call`. */
export function ReadOnlyNote({ call, what }: { call: MethodName; what: string }): React.JSX.Element | null {
  if (useCan(call)) return null;
  return (
    <p className="muted" data-testid="read-only-note">
      Read-only: {what} needs a token with the “{api[call].scope}” scope.
    </p>
  );
}
