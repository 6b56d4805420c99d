import { useEffect, useRef } from 'react';
import { DIGIT_PIXELS, DIGIT_SIDE } from './digit-stats';
import './draw.css';

export interface DigitPreviewProps {
  /** The 784 network inputs in 0..1, or null when nothing is drawn. */
  readonly pixels: Float32Array | null;
}

/** The network's actual input, 28×28 shown large with hard pixel edges, white on black like MNIST. */
export function DigitPreview({ pixels }: DigitPreviewProps) {
  const canvasRef = useRef<HTMLCanvasElement>(null);

  useEffect(() => {
    const context = canvasRef.current?.getContext('2d');
    if (!context) return;
    const image = context.createImageData(DIGIT_SIDE, DIGIT_SIDE);
    for (let i = 0; i < DIGIT_PIXELS; i++) {
      const level = Math.round((pixels?.[i] ?? 0) * 255);
      image.data[i * 4] = level;
      image.data[i * 4 + 1] = level;
      image.data[i * 4 + 2] = level;
      image.data[i * 4 + 3] = 255;
    }
    context.putImageData(image, 0, 0);
  }, [pixels]);

  return (
    <figure className="digit-preview">
      <div className="digit-preview-frame">
        <canvas
          ref={canvasRef}
          width={DIGIT_SIDE}
          height={DIGIT_SIDE}
          data-testid="preview"
          data-empty={pixels === null}
          role="img"
          aria-label={pixels === null ? 'Network input: empty' : 'Network input: the drawing as 28 by 28 pixels'}
        />
        {pixels === null && <span className="digit-preview-empty">empty</span>}
      </div>
      <figcaption>Network input (28×28)</figcaption>
    </figure>
  );
}
