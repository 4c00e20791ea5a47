// The workspace's warmup settings: where warmup mail's text comes from, and the send limits.
import { useSettings } from './settings-store';
import { Editable, ReadOnlyNote } from '../../app/Can';
import { FormError } from '../../components/FormError';
import { ErrorBox, Loading } from '../../components/status';
import { ContentForm } from './ContentForm';
import { LimitsForm } from './LimitsForm';

export function WarmupSection(): React.JSX.Element {
  const warmup = useSettings((s) => s.warmup);
  const actionError = useSettings((s) => (s.actionError?.scope === 'warmup' ? s.actionError.error : null));
  const loadWarmup = useSettings((s) => s.loadWarmup);
  const data = warmup.data;
  return (
    <section className="card" aria-labelledby="warmup-h">
      <h2 id="warmup-h">Warmup defaults</h2>
      {warmup.error && <ErrorBox error={warmup.error} onRetry={() => void loadWarmup()} />}
      {!data ? (
        !warmup.error && <Loading label="Loading warmup settings…" />
      ) : (
        <>
          {actionError && <FormError error={actionError} />}
          <ReadOnlyNote call="warmup.settings.update" what="changing the warmup defaults" />
          <Editable call="warmup.settings.update">
            <ContentForm content={data.content} keySet={data.contentKeySet} />
            <LimitsForm limits={data.limits} />
          </Editable>
        </>
      )}
    </section>
  );
}
