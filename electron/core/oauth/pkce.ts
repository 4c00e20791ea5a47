// PKCE (RFC 7636, S256 only) and the state that ties a callback to the request that asked for it.
import * as oauth from 'oauth4webapi';

export interface PkcePair {
  /** Kept by Kiln until the callback; never sent in the authorization URL. */
  verifier: string;
  challenge: string;
  method: 'S256';
}

export async function newPkce(): Promise<PkcePair> {
  const verifier = oauth.generateRandomCodeVerifier();
  return { verifier, challenge: await oauth.calculatePKCECodeChallenge(verifier), method: 'S256' };
}

/** An unguessable value the callback must echo (CSRF protection, RFC 6749 §10.12). */
export const newState = (): string => oauth.generateRandomState();
