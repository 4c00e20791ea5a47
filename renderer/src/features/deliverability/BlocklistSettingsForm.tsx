// Which lists are asked, what else is checked besides the mailboxes' domains, and the Spamhaus DQS
// key. The key is write-only: the form learns only whether one is stored.
import type { FormEvent } from 'react';
import type { Input } from '../../../../shared/api/table';
import type { BlocklistSettings } from '../../../../shared/domain/blocklist';
import { FormError } from '../../components/FormError';
import { useBlocklists } from './blocklists-store';
import { useDraftForm } from './useDraftForm';

interface Draft {
  zones: Record<string, boolean>;
  extra: string;
  excluded: string;
  resolveSmtpHosts: boolean;
  dqsKey: string;
}

const toDraft = (s: BlocklistSettings): Draft => ({
  zones: Object.fromEntries(s.zones.map((z) => [z.name, z.enabled])),
  extra: s.extraTargets.join('\n'),
  excluded: s.excludedTargets.join('\n'),
  resolveSmtpHosts: s.resolveSmtpHosts,
  dqsKey: '',
});
const lines = (text: string): string[] => text.split(/[\s,]+/).map((l) => l.trim()).filter(Boolean);
const same = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

export function BlocklistSettingsForm({ settings }: { settings: BlocklistSettings }): React.JSX.Element {
  const saveSettings = useBlocklists((s) => s.saveSettings);
  const actionError = useBlocklists((s) => (s.actionError?.scope === 'settings' ? s.actionError.error : null));
  const { draft, edit, busy, saved, save: run } = useDraftForm(settings, toDraft);

  const patch: Input<'blocklists.settings.update'> = {};
  const zoneChanges = Object.fromEntries(settings.zones.filter((z) => draft.zones[z.name] !== z.enabled).map((z) => [z.name, draft.zones[z.name] ?? z.enabled]));
  if (Object.keys(zoneChanges).length > 0) patch.zones = zoneChanges;
  if (!same(lines(draft.extra), settings.extraTargets)) patch.extraTargets = lines(draft.extra);
  if (!same(lines(draft.excluded), settings.excludedTargets)) patch.excludedTargets = lines(draft.excluded);
  if (draft.resolveSmtpHosts !== settings.resolveSmtpHosts) patch.resolveSmtpHosts = draft.resolveSmtpHosts;
  if (draft.dqsKey.trim()) patch.dqsKey = draft.dqsKey.trim();
  const dirty = Object.keys(patch).length > 0;

  const save = (p: Input<'blocklists.settings.update'>) => run(() => saveSettings(p));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (dirty) void save(patch);
  };

  return (
    <form className="form" onSubmit={submit} aria-label="Blocklist settings">
      {actionError && <FormError error={actionError} />}
      <fieldset>
        <legend>Lists to ask</legend>
        <div className="zone-grid">
          {settings.zones.map((z) => (
            <label className="check" key={z.name} title={z.codes}>
              <input type="checkbox" checked={draft.zones[z.name] ?? z.enabled} onChange={(e) => edit({ zones: { ...draft.zones, [z.name]: e.target.checked } })} />
              <span>
                {z.label} <span className="muted code">{z.name}</span> <span className="muted">({z.kind === 'ip' ? 'IPs' : 'domains'}{z.builtin ? '' : ', custom'})</span>
              </span>
            </label>
          ))}
        </div>
      </fieldset>
      <div className="row">
        <div className="field grow">
          <label htmlFor="bl-extra">Also check these IPs and domains (one per line)</label>
          <textarea id="bl-extra" rows={3} value={draft.extra} onChange={(e) => edit({ extra: e.target.value })} placeholder={'192.0.2.10\nexample.com'} spellCheck={false} />
        </div>
        <div className="field grow">
          <label htmlFor="bl-excluded">Never check these (one per line)</label>
          <textarea id="bl-excluded" rows={3} value={draft.excluded} onChange={(e) => edit({ excluded: e.target.value })} spellCheck={false} />
        </div>
      </div>
      <label className="check">
        <input type="checkbox" checked={draft.resolveSmtpHosts} onChange={(e) => edit({ resolveSmtpHosts: e.target.checked })} /> Also check the public addresses of self-hosted
        SMTP servers
      </label>
      <div className="row">
        <div className="field grow">
          <label htmlFor="bl-dqs">Spamhaus DQS key</label>
          <input
            id="bl-dqs"
            type="password"
            autoComplete="off"
            maxLength={64}
            value={draft.dqsKey}
            onChange={(e) => edit({ dqsKey: e.target.value })}
            placeholder={settings.dqsKeySet ? 'A key is stored: type a new one to replace it' : 'No key stored'}
            aria-describedby="bl-dqs-hint"
          />
        </div>
        {settings.dqsKeySet && (
          <button type="button" disabled={busy} onClick={() => void save({ dqsKey: null })}>
            Remove key
          </button>
        )}
      </div>
      <p className="hint" id="bl-dqs-hint" data-testid="dqs-key-state">
        {settings.dqsKeySet
          ? 'A key is stored in the secret store; Spamhaus lists are asked through DQS. It is never shown again.'
          : 'Spamhaus answers public resolvers with an error, not a verdict. Its free DQS key fixes that; it goes to the secret store, never to the database.'}
      </p>
      <div className="actions">
        {saved && !dirty && (
          <span className="ok" role="status">
            Saved
          </span>
        )}
        <button type="submit" className="primary" disabled={busy || !dirty}>
          Save blocklist settings
        </button>
      </div>
    </form>
  );
}
