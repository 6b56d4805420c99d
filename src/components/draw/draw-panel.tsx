import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { preprocessStrokes } from './digit-preprocess';
import { DigitPreview } from './digit-preview';
import { DrawCanvas } from './draw-canvas';
import { createLatestOnlyQueue } from './latest-only-queue';
import { ProbabilityBars, topClass } from './probability-bars';
import type { Stroke } from './stroke-raster';
import { TeachRow } from './teach-row';
import './draw.css';

export interface DrawPanelProps {
  /** Resolves to ten class probabilities for 784 inputs in 0..1. */
  readonly classify: (pixels: Float32Array) => Promise<Float32Array>;
  /** Changes whenever the network has changed: the current drawing is classified again. */
  readonly refreshKey: number;
  /** Stores the current drawing with the label the user says is right; enables the teach row. */
  readonly onTeach?: (pixels: Float32Array, label: number) => Promise<unknown>;
}

/** The pad, what the network sees and what it answers. */
export function DrawPanel({ classify, refreshKey, onTeach }: DrawPanelProps) {
  const [pixels, setPixels] = useState<Float32Array | null>(null);
  const [probabilities, setProbabilities] = useState<Float32Array | null>(null);
  const [error, setError] = useState<string | null>(null);
  // True until the current drawing has an answer: tests and assistive tech can wait on it.
  const [pending, setPending] = useState(false);
  const pixelsRef = useRef<Float32Array | null>(null);
  const classifyRef = useRef(classify);

  useEffect(() => {
    classifyRef.current = classify;
  }, [classify]);

  const queue = useMemo(
    () =>
      createLatestOnlyQueue<Float32Array, Float32Array>(
        // A copy, because a classifier may transfer the buffer to the worker.
        (input) => classifyRef.current(input.slice()),
        (outcome) => {
          if (outcome.input === pixelsRef.current) setPending(false);
          if (outcome.ok) {
            setProbabilities(outcome.value);
            setError(null);
          } else {
            setProbabilities(null);
            setError(outcome.error instanceof Error ? outcome.error.message : String(outcome.error));
          }
        },
      ),
    [],
  );

  // Answers that arrive after unmounting are dropped.
  useEffect(() => () => queue.clear(), [queue]);

  // The pad calls this at most once per frame, so preprocessing runs at most once per frame.
  const handleStrokesChange = useCallback(
    (strokes: readonly Stroke[]) => {
      const next = preprocessStrokes(strokes);
      pixelsRef.current = next;
      setPixels(next);
      if (next === null) {
        queue.clear();
        setPending(false);
        setProbabilities(null);
        setError(null);
      } else {
        setPending(true);
        queue.push(next);
      }
    },
    [queue],
  );

  useEffect(() => {
    if (pixelsRef.current === null) return;
    setPending(true);
    queue.push(pixelsRef.current);
  }, [refreshKey, queue]);

  return (
    <div className="draw-panel" data-testid="draw-panel" aria-busy={pending}>
      <DrawCanvas onStrokesChange={handleStrokesChange} />
      <div className="draw-panel-result">
        <DigitPreview pixels={pixels} />
        <ProbabilityBars probabilities={probabilities} />
      </div>
      {onTeach !== undefined && pixels !== null && probabilities !== null && (
        <TeachRow pixels={pixels} predicted={topClass(probabilities)} onTeach={onTeach} />
      )}
      {error !== null && (
        <p className="draw-panel-error" role="alert" data-testid="classify-error">
          Could not classify the drawing: {error}
        </p>
      )}
    </div>
  );
}
