import { useState, type ChangeEvent } from 'react';
import { useUserSamples, useUserSamplesActions, useUserSamplesProgress } from '../../hooks/use-user-samples';
import { MAX_USER_SAMPLES } from '../../shared/trainer-api';
import { SampleThumbnail } from './sample-thumbnail';
import './user-samples.css';

/**
 * "Your handwriting": the drawings the user labelled, how many the network has learned, and
 * export, import and removal. It reads the sample list and two status numbers only, so
 * training progress does not re-render it.
 */
export function UserSamplesPanel() {
  const { samples, loaded, problem, notice } = useUserSamples();
  const actions = useUserSamplesActions();
  const [confirmingClear, setConfirmingClear] = useState(false);

  const handleImport = (event: ChangeEvent<HTMLInputElement>) => {
    const input = event.currentTarget;
    const file = input.files?.[0];
    // Emptied so that choosing the same file again imports it again.
    input.value = '';
    if (file !== undefined) void actions.importFile(file);
  };

  return (
    <section className="panel user-samples" data-testid="user-samples" data-count={samples.length} aria-labelledby="user-samples-title">
      <h2 id="user-samples-title">Your handwriting</h2>
      <LearnedSummary stored={samples.length} />
      {problem !== null && (
        <p className="user-samples-message is-problem" role="alert" data-testid="user-samples-problem">
          {problem}{' '}
          <button type="button" className="link" onClick={actions.dismissMessages}>
            Dismiss
          </button>
        </p>
      )}
      {notice !== null && (
        <p className="user-samples-message" role="status" data-testid="user-samples-notice">
          {notice}{' '}
          <button type="button" className="link" onClick={actions.dismissMessages}>
            OK
          </button>
        </p>
      )}
      {loaded && samples.length === 0 && (
        <p className="user-samples-empty" data-testid="user-samples-empty">
          No samples yet. Draw a digit above; if the network reads it wrong, tap the right digit under the prediction and
          it joins the training with that label.
        </p>
      )}
      {samples.length > 0 && (
        <ol className="user-samples-grid" aria-label="Your samples, oldest first">
          {samples.map((sample) => (
            <SampleThumbnail key={sample.id} sample={sample} onRemove={actions.remove} />
          ))}
        </ol>
      )}
      <div className="user-samples-actions">
        <button type="button" data-testid="export-user-samples" disabled={samples.length === 0} onClick={() => void actions.exportFile()}>
          Export
        </button>
        <label className="user-samples-import">
          Import
          <input type="file" accept="application/json,.json" data-testid="import-user-samples" onChange={handleImport} />
        </label>
        {confirmingClear ? (
          <span className="user-samples-confirm" role="group" aria-label="Confirm removing all samples">
            <span className="user-samples-confirm-question">
              Remove {samples.length === 1 ? 'your sample' : `all ${samples.length} samples`}? Export first to keep a copy.
            </span>
            <button
              type="button"
              className="danger"
              data-testid="confirm-clear-user-samples"
              onClick={() => {
                setConfirmingClear(false);
                void actions.clear();
              }}
            >
              Remove them
            </button>
            <button type="button" onClick={() => setConfirmingClear(false)}>
              Cancel
            </button>
          </span>
        ) : (
          <button type="button" data-testid="clear-user-samples" disabled={samples.length === 0} onClick={() => setConfirmingClear(true)}>
            Remove all
          </button>
        )}
      </div>
    </section>
  );
}

/** Stored count, and how many of the worker's copies the network reads correctly. */
function LearnedSummary({ stored }: { stored: number }) {
  const progress = useUserSamplesProgress();
  const training = progress !== null && progress.count > 0;
  return (
    <p className="user-samples-summary" data-testid="user-samples-summary">
      {stored} of {MAX_USER_SAMPLES} samples
      {training && (
        <>
          {' · '}
          <strong>
            learned {progress.learned} of {progress.count}
          </strong>
        </>
      )}
    </p>
  );
}
