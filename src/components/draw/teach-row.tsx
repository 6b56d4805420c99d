import { memo, useEffect, useState } from 'react';
import './draw.css';

export interface TeachRowProps {
  /** The drawing as the network sees it (784 intensities in 0..1). */
  readonly pixels: Float32Array;
  /** The network's current guess, or -1 when it has none. */
  readonly predicted: number;
  /** Stores the drawing with its right label; rejects with a message for the user. */
  readonly onTeach: (pixels: Float32Array, label: number) => Promise<unknown>;
}

const DIGITS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] as const;
/** Long enough to read, short enough not to describe an older drawing. */
const CONFIRMATION_MS = 4000;

type Outcome = { readonly kind: 'added'; readonly label: number } | { readonly kind: 'failed'; readonly message: string };

/** Ten buttons that add the current drawing, with the tapped digit as its label, to training. */
export const TeachRow = memo(function TeachRow({ pixels, predicted, onTeach }: TeachRowProps) {
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    if (outcome?.kind !== 'added') return;
    const timer = setTimeout(() => setOutcome(null), CONFIRMATION_MS);
    return () => clearTimeout(timer);
  }, [outcome]);

  const teach = async (label: number) => {
    setSaving(true);
    try {
      await onTeach(pixels, label);
      setOutcome({ kind: 'added', label });
    } catch (error) {
      setOutcome({ kind: 'failed', message: error instanceof Error ? error.message : String(error) });
    } finally {
      setSaving(false);
    }
  };

  return (
    <div className="teach-row" role="group" aria-labelledby="teach-row-title" data-testid="teach-row">
      <p className="teach-row-title" id="teach-row-title">
        Wrong? Tap the right digit
      </p>
      <div className="teach-row-buttons">
        {DIGITS.map((digit) => (
          <button
            key={digit}
            type="button"
            className={digit === predicted ? 'teach-button is-predicted' : 'teach-button'}
            data-testid={`teach-${digit}`}
            aria-label={`It's a ${digit}`}
            disabled={saving}
            onClick={() => void teach(digit)}
          >
            {digit}
          </button>
        ))}
      </div>
      <p className={outcome?.kind === 'failed' ? 'teach-row-outcome is-failed' : 'teach-row-outcome'} role="status" data-testid="teach-outcome">
        {outcome?.kind === 'added' && `Added as a ${outcome.label} — the network will learn it`}
        {outcome?.kind === 'failed' && `Not added: ${outcome.message}`}
      </p>
    </div>
  );
});
