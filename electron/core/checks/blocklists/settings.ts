// Per-workspace blocklist settings: zones on/off, custom zones, extra and excluded targets, and the
// Spamhaus DQS key, which goes to the secret store (the database keeps only its ref; the API only
// says whether one is set; validation messages never repeat it).
import { isIP } from 'node:net';
import type { BlocklistSettings, BlocklistSettingsPatch } from '../../../../shared/domain/blocklist';
import { KilnError } from '../../../../shared/errors';
import type { Clock } from '../../clock';
import type { Logger } from '../../log';
import type { SecretStore } from '../../secrets/secret-store';
import { assertRef } from '../../secrets/secret-store';
import type { BlocklistRepository, StoredConfig } from './repository';
import { isPublicIp, normaliseIp } from './targets';
import { builtinZone, builtinZones, customZone, type ZoneDef } from './zones';

/** The one place that spells the DQS key's secret ref. */
export function dqsSecretRef(workspaceId: string): string {
  const ref = `workspace/${workspaceId}/spamhaus-dqs-key`;
  assertRef(ref);
  return ref;
}

/** Every zone the workspace knows (built-in first, then custom), enabled or not. */
export function allZones(config: StoredConfig): Array<{ zone: ZoneDef; enabled: boolean }> {
  const off = new Set(config.disabledZones);
  return [...builtinZones, ...config.customZones.map(customZone)].map((zone) => ({ zone, enabled: !off.has(zone.name) }));
}

export function toSettings(config: StoredConfig, dqsKeySet: boolean): BlocklistSettings {
  return {
    zones: allZones(config).map(({ zone, enabled }) => ({
      name: zone.name,
      label: zone.label,
      kind: zone.kind,
      ipv6: zone.ipv6,
      builtin: zone.builtin,
      enabled,
      dqs: zone.dqs !== undefined,
      codes: zone.codes,
    })),
    extraTargets: config.extraTargets,
    excludedTargets: config.excludedTargets,
    resolveSmtpHosts: config.resolveSmtpHosts,
    dqsKeySet,
  };
}

const invalid = (path: string, message: string) => new KilnError('VALIDATION_FAILED', 'The request is not valid', { fields: [{ path, message }] });

function checkTargets(list: string[], field: string): string[] {
  const out: string[] = [];
  list.forEach((t, i) => {
    const v = isIP(t) ? normaliseIp(t) : t;
    if (isIP(v) && !isPublicIp(v)) throw invalid(`${field}.${i}`, 'must be a public IP address (blocklists never list private or loopback ones)');
    if (!out.includes(v)) out.push(v);
  });
  return out;
}

/** What changing blocklist settings uses. */
export interface BlocklistSettingsNeeds {
  clock: Clock;
  log: Logger;
  secrets: SecretStore;
}

export async function updateSettings(deps: BlocklistSettingsNeeds, repo: BlocklistRepository, workspaceId: string, patch: BlocklistSettingsPatch): Promise<BlocklistSettings> {
  const { config, dqsSecretRef: currentRef } = await repo.settings(workspaceId);
  const next: StoredConfig = { ...config };

  if (patch.customZones) {
    const seen = new Set<string>();
    patch.customZones.forEach((z, i) => {
      if (builtinZone(z.name)) throw invalid(`customZones.${i}.name`, `${z.name} is a built-in zone: turn it on or off with "zones"`);
      if (seen.has(z.name)) throw invalid(`customZones.${i}.name`, `${z.name} is listed twice`);
      seen.add(z.name);
    });
    next.customZones = patch.customZones.map((z) => ({ name: z.name, ...(z.label ? { label: z.label } : {}), kind: z.kind, ipv6: z.kind === 'ip' && z.ipv6 }));
  }
  const known = new Set(allZones(next).map((z) => z.zone.name));
  const off = new Set(next.disabledZones.filter((n) => known.has(n)));
  for (const [raw, enabled] of Object.entries(patch.zones ?? {})) {
    const name = raw.trim().toLowerCase().replace(/\.$/, '');
    if (!known.has(name)) throw invalid(`zones.${raw}`, 'no such zone (add it to customZones first)');
    if (enabled) off.delete(name);
    else off.add(name);
  }
  next.disabledZones = [...off];
  if (patch.extraTargets) next.extraTargets = checkTargets(patch.extraTargets, 'extraTargets');
  if (patch.excludedTargets) next.excludedTargets = checkTargets(patch.excludedTargets, 'excludedTargets');
  if (patch.resolveSmtpHosts !== undefined) next.resolveSmtpHosts = patch.resolveSmtpHosts;

  let ref = currentRef;
  if (patch.dqsKey === null) {
    if (currentRef) await deps.secrets.delete(currentRef);
    ref = null;
  } else if (patch.dqsKey !== undefined) {
    ref = dqsSecretRef(workspaceId);
    // Spamhaus keys are lower case; a key in another case is the same key.
    await deps.secrets.set(ref, patch.dqsKey.toLowerCase());
  }
  await repo.saveSettings(workspaceId, next, ref, deps.clock.now());
  if (patch.dqsKey !== undefined) deps.log.info({ workspaceId, dqsKeySet: ref !== null }, 'blocklist DQS key changed');
  return toSettings(next, ref !== null);
}
