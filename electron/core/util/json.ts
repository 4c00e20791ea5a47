/** Parse a JSON column written by Kiln itself; a corrupt value reads as null instead of crashing a list. */
export function parseJson<T>(text: string | null): T | null {
  if (text == null) return null;
  try {
    return JSON.parse(text) as T;
  } catch {
    return null;
  }
}
