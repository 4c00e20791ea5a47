import { useState } from 'react';

/**
 * The "delete after confirming" flow of a list: which item is about to go (the dialog is open
 * while it is set), whether the removal runs, and the confirm action that removes and closes.
 */
export function useConfirmRemove<T extends { id: string }>(remove: (id: string) => Promise<unknown>) {
  const [doomed, setDoomed] = useState<T | null>(null);
  const [busy, setBusy] = useState(false);
  const confirm = async (): Promise<void> => {
    if (!doomed) return;
    setBusy(true);
    try {
      await remove(doomed.id);
    } finally {
      setBusy(false);
      setDoomed(null);
    }
  };
  return { doomed, setDoomed, busy, confirm };
}
