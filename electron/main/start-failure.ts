// What the desktop says when its core cannot start: another Kiln owning the data folder (kiln
// serve) is named as such, with the error code, so the user knows to stop it or use its web UI.
import { isKilnError } from '../../shared/errors';

export function startFailure(err: unknown): { title: string; body: string } {
  if (isKilnError(err) && err.code === 'DATA_FOLDER_IN_USE') {
    return {
      title: "Kiln's data folder is in use",
      body: `${err.message}.\n\nQuit that process (or open its web UI) and start Kiln again. (${err.code})`,
    };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { title: 'Kiln could not start', body: isKilnError(err) ? `${message} (${err.code})` : message };
}
