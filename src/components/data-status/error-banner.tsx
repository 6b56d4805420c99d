import { useSession } from '../../hooks/use-session';
import { formatSettingValue } from '../controls/slider-scale';
import { HYPERPARAMETER_SPEC } from '../../shared/hyperparameters';

/** The current problem in words, with the one action that fixes it. */
export function ErrorBanner() {
  const { session, error, status } = useSession();
  if (error === null) return null;
  const lr = status?.hyperparameters.learningRate ?? 0;
  const action =
    error.code === 'diverged'
      ? `Lower learning rate to ${formatSettingValue(HYPERPARAMETER_SPEC.learningRate, Math.max(1e-5, lr / 10))}`
      : error.code === 'internal'
        ? 'Dismiss'
        : 'Retry';
  return (
    <div className="error-banner" role="alert" data-testid="error" data-code={error.code} data-file={error.file ?? ''}>
      <p>{error.message}</p>
      {(error.code === 'data-missing' || error.code === 'data-network') && (
        <p className="hint">
          The page reads the four MNIST files from <code>public/mnist/</code>. Run <code>npm install</code> (it puts them
          there) and press Retry.
        </p>
      )}
      <button type="button" data-testid="retry" onClick={() => void session.retry()}>
        {action}
      </button>
    </div>
  );
}

export function NoticesBanner() {
  const { session, notices } = useSession();
  if (notices.length === 0) return null;
  return (
    <div className="notice-banner" data-testid="notices" role="status">
      <ul>
        {notices.map((notice, index) => (
          <li key={index}>{notice}</li>
        ))}
      </ul>
      <button type="button" className="link" onClick={() => session.dismissNotices()}>
        Dismiss
      </button>
    </div>
  );
}
