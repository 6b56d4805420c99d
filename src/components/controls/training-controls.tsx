import { useSession } from '../../hooks/use-session';

/** Start/pause, single steps and reset. Disabled until the data is ready. */
export function TrainingControls() {
  const { session, status } = useSession();
  const state = status?.state ?? 'loading';
  const usable = state !== 'loading' && state !== 'error';
  const training = state === 'training';

  return (
    <div className="training-controls" role="group" aria-label="Training">
      <button
        type="button"
        className="primary"
        data-testid="train-toggle"
        disabled={!usable}
        onClick={() => void (training ? session.pause() : session.start())}
      >
        {training ? 'Pause' : state === 'done' ? 'Train again' : (status?.samplesSeen ?? 0) > 0 ? 'Resume' : 'Start'}
      </button>
      <button type="button" data-testid="step" disabled={!usable} onClick={() => void session.step('batch')}>
        Step batch
      </button>
      <button type="button" data-testid="step-epoch" disabled={!usable} onClick={() => void session.step('epoch')}>
        Step epoch
      </button>
      <button type="button" data-testid="reset" disabled={!usable} onClick={() => void session.reset()}>
        Reset
      </button>
    </div>
  );
}
