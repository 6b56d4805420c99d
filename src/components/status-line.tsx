import { useMetrics } from '../hooks/use-metrics';
import { useSession } from '../hooks/use-session';
import { formatSettingValue } from './controls/slider-scale';
import { HYPERPARAMETER_SPEC } from '../shared/hyperparameters';

const STATE_LABELS = {
  loading: 'Loading data',
  ready: 'Ready',
  training: 'Training',
  paused: 'Paused',
  done: 'Done',
  error: 'Error',
} as const;

/**
 * One line that says what the network is doing. Its data attributes are a stable contract
 * for tests and scripts: plain numbers, accuracies in 0..1, empty until known.
 */
export function StatusLine() {
  const { status } = useSession();
  const metrics = useMetrics();
  const lastTrainIndex = metrics.train.loss.length - 1;
  const loss = lastTrainIndex >= 0 ? metrics.train.loss[lastTrainIndex]! : null;
  const validation = metrics.validation.at(-1)?.accuracy ?? null;
  const test = metrics.test.at(-1)?.accuracy ?? null;
  const state = status?.state ?? 'loading';
  const lr = status?.hyperparameters.learningRate ?? null;

  return (
    <div
      className="status-line"
      data-testid="status"
      data-state={state}
      data-epoch={status ? status.epoch.toFixed(4) : ''}
      data-samples={status?.samplesSeen ?? ''}
      data-samples-per-sec={status ? Math.round(status.samplesPerSec) : ''}
      data-lr={lr ?? ''}
      data-loss={loss ?? ''}
      data-val-accuracy={validation ?? ''}
      data-test-accuracy={test ?? ''}
      data-backend={status?.backend ?? ''}
      data-workers={status?.workers ?? ''}
      data-user-samples={status?.userSamples.count ?? ''}
      data-user-learned={status?.userSamples.learned ?? ''}
      role="status"
    >
      <span className={`state state-${state}`}>{STATE_LABELS[state]}</span>
      {status && (
        <>
          <Item label="Epoch" value={status.epoch.toFixed(2)} />
          <Item label="Samples" value={status.samplesSeen.toLocaleString('en-US')} />
          <Item label="Samples/s" value={state === 'training' ? Math.round(status.samplesPerSec).toLocaleString('en-US') : '–'} />
          <Item label="Learning rate" value={formatSettingValue(HYPERPARAMETER_SPEC.learningRate, status.hyperparameters.learningRate)} />
          <Item label="Loss" value={loss === null ? '–' : loss.toFixed(4)} />
          <Item label="Validation" value={formatPercent(validation)} />
          <Item label="Test" value={formatPercent(test)} />
          <Item label="Engine" value={`${status.backend}${status.workers > 1 ? ` × ${status.workers}` : ''}`} />
          {status.userSamples.count > 0 && (
            <Item label="Your samples" value={`${status.userSamples.learned} of ${status.userSamples.count} learned`} />
          )}
        </>
      )}
    </div>
  );
}

function Item({ label, value }: { label: string; value: string }) {
  return (
    <span className="status-item">
      <span className="status-label">{label}</span> {value}
    </span>
  );
}

export function formatPercent(fraction: number | null): string {
  return fraction === null ? '–' : `${(fraction * 100).toFixed(2)}%`;
}
