import { useState } from 'react';

/**
 * A settings form's draft: starts from the stored value and starts over whenever a save or an
 * event replaces it (the "Saved" note stays); `edit` merges a change and clears that note; `save`
 * runs the store's action with the busy flag and records whether it worked.
 */
export function useDraftForm<S, D extends object>(stored: S, toDraft: (s: S) => D) {
  const [draft, setDraft] = useState(() => toDraft(stored));
  const [base, setBase] = useState(stored);
  if (base !== stored) {
    setBase(stored);
    setDraft(toDraft(stored));
  }
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const edit = (patch: Partial<D>): void => {
    setSaved(false);
    setDraft((d) => ({ ...d, ...patch }));
  };
  const save = async (run: () => Promise<boolean>): Promise<void> => {
    setBusy(true);
    setSaved(false);
    const ok = await run();
    setBusy(false);
    setSaved(ok);
  };
  return { draft, edit, busy, saved, save };
}
