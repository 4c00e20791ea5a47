// Whether the pool's mailboxes engage with Kiln mail that is not warmup mail. Off by default: a
// message sent through the API is a real message, and Kiln only records where it landed.
import { useSettings } from './settings-store';
import { FormError } from '../../components/FormError';
import { ErrorBox, Loading } from '../../components/status';
import { Editable, ReadOnlyNote } from '../../app/Can';

export function EngagementSection(): React.JSX.Element {
  const prefs = useSettings((s) => s.preferences);
  const actionError = useSettings((s) => (s.actionError?.scope === 'engagement' ? s.actionError.error : null));
  const { updateEngagement, loadPreferences } = useSettings.getState();
  const p = prefs.data;
  return (
    <section className="card form" aria-labelledby="engagement-h">
      <h2 id="engagement-h">Engagement</h2>
      <p className="hint">
        Mailboxes Kiln reads rescue, open, flag, reply to and file warmup mail (and the replies in its threads). Where any other Kiln mail lands (API
        messages, placement tests) is always recorded.
      </p>
      {prefs.error && <ErrorBox error={prefs.error} onRetry={() => void loadPreferences()} />}
      {!p ? (
        !prefs.error && <Loading label="Loading preferences…" />
      ) : (
        <>
          {actionError && <FormError error={actionError} />}
          <ReadOnlyNote call="preferences.update" what="Changing engagement" />
          <Editable call="preferences.update">
            <label className="check">
              <input
                type="checkbox"
                data-testid="engage-other-mail"
                checked={p.engagement.otherKilnMail}
                onChange={(e) => void updateEngagement({ otherKilnMail: e.target.checked })}
              />{' '}
              Also engage with this workspace&apos;s other Kiln mail (API messages): open, flag, rescue from spam and reply automatically
            </label>
          </Editable>
          <p className="hint">Placement-test copies are never opened, rescued or answered. Turning this off stops engagement not yet carried out.</p>
        </>
      )}
    </section>
  );
}
