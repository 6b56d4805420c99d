import { memo, useEffect, useRef } from 'react';
import type { UserSample } from '../../shared/trainer-api';

const SIDE = 28;

export interface SampleThumbnailProps {
  readonly sample: UserSample;
  readonly onRemove: (id: string) => void;
}

/** One stored drawing: the 28×28 image the network trains on, white on black, and its label. */
export const SampleThumbnail = memo(function SampleThumbnail({ sample, onRemove }: SampleThumbnailProps) {
  const canvasRef = useRef<HTMLCanvasElement>(null);

  useEffect(() => {
    const context = canvasRef.current?.getContext('2d');
    if (!context) return;
    const image = context.createImageData(SIDE, SIDE);
    sample.pixels.forEach((level, i) => {
      image.data.fill(level, i * 4, i * 4 + 3);
      image.data[i * 4 + 3] = 255;
    });
    context.putImageData(image, 0, 0);
  }, [sample.pixels]);

  return (
    <li className="user-sample" data-testid="user-sample" data-label={sample.label}>
      <canvas ref={canvasRef} width={SIDE} height={SIDE} role="img" aria-label={`Your drawing of a ${sample.label}`} />
      <span className="user-sample-label" aria-hidden="true">
        {sample.label}
      </span>
      <button
        type="button"
        className="user-sample-remove"
        data-testid="remove-user-sample"
        aria-label={`Remove this ${sample.label}`}
        title="Remove"
        onClick={() => onRemove(sample.id)}
      >
        ×
      </button>
    </li>
  );
});
