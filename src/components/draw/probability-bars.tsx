import './draw.css';

export interface ProbabilityBarsProps {
  /** Ten class probabilities, or null when there is nothing to classify. */
  readonly probabilities: Float32Array | null;
}

const DIGITS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] as const;

/** Index of the largest finite probability; -1 when there is none (e.g. a diverged network). */
export function topClass(probabilities: Float32Array | null): number {
  let top = -1;
  if (probabilities === null) return top;
  for (const digit of DIGITS) {
    const p = probabilities[digit];
    if (Number.isFinite(p) && (top < 0 || p > probabilities[top])) top = digit;
  }
  return top;
}

function percent(p: number): string {
  return `${(p * 100).toFixed(1)}%`;
}

/** Ten labelled bars with the predicted digit and its confidence above them. */
export function ProbabilityBars({ probabilities }: ProbabilityBarsProps) {
  const top = topClass(probabilities);
  const confidence = probabilities !== null && top >= 0 ? probabilities[top] : null;
  return (
    <div className="probability-bars" data-testid="probabilities">
      <p className="probability-verdict" aria-live="polite">
        <span className="probability-verdict-label">Prediction</span>
        <output className="probability-verdict-digit" data-testid="prediction" data-confidence={confidence ?? ''}>
          {confidence === null ? '' : top}
        </output>
        <span className="probability-verdict-confidence">{confidence === null ? '–' : percent(confidence)}</span>
      </p>
      <ol className="probability-list" aria-label="Probability of each digit">
        {DIGITS.map((digit) => {
          const raw = probabilities?.[digit];
          const p = raw !== undefined && Number.isFinite(raw) ? Math.min(1, Math.max(0, raw)) : null;
          return (
            <li key={digit} className={digit === top ? 'probability-row is-top' : 'probability-row'}>
              <span className="probability-digit">{digit}</span>
              <span className="probability-track" aria-hidden="true">
                <span className="probability-fill" style={{ width: `${(p ?? 0) * 100}%` }} />
              </span>
              <span className="probability-value">{p === null ? '–' : percent(p)}</span>
            </li>
          );
        })}
      </ol>
    </div>
  );
}
