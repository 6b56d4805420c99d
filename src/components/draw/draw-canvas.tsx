import { useCallback, useEffect, useRef, useState, type PointerEvent as ReactPointerEvent } from 'react';
import { PEN_WIDTH } from './digit-preprocess';
import type { Point, Stroke } from './stroke-raster';
import './draw.css';

/**
 * Pen width on the pad as a fraction of its side. A digit filling about 70% of the pad is
 * scaled to MNIST's 20 px, so the pad then shows the stroke width the network will see.
 */
const PAD_PEN_FRACTION = (0.7 * PEN_WIDTH) / 20;
const INK_COLOUR = '#111827';

export interface DrawCanvasProps {
  /** Called at most once per animation frame while drawing, and once when a stroke ends. */
  readonly onStrokesChange: (strokes: readonly Stroke[]) => void;
}

/**
 * A square drawing pad for mouse, pen and touch. Strokes live in a ref and are painted
 * imperatively, so pointer moves never re-render React.
 */
export function DrawCanvas({ onStrokesChange }: DrawCanvasProps) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const strokesRef = useRef<Point[][]>([]);
  const activeRef = useRef<{ readonly pointerId: number; readonly stroke: Point[] } | null>(null);
  /** The pad's side in CSS pixels: the unit of the stroke coordinates. */
  const sideRef = useRef(0);
  const frameRef = useRef(0);
  const onChangeRef = useRef(onStrokesChange);
  // Only stroke counts reach React state: they enable the buttons.
  const [strokeCount, setStrokeCount] = useState(0);

  useEffect(() => {
    onChangeRef.current = onStrokesChange;
  }, [onStrokesChange]);

  const notifyNow = useCallback(() => {
    if (frameRef.current !== 0) cancelAnimationFrame(frameRef.current);
    frameRef.current = 0;
    onChangeRef.current(strokesRef.current.slice());
  }, []);

  const notifyOnNextFrame = useCallback(() => {
    if (frameRef.current !== 0) return;
    frameRef.current = requestAnimationFrame(() => {
      frameRef.current = 0;
      onChangeRef.current(strokesRef.current.slice());
    });
  }, []);

  const repaint = useCallback(() => {
    const context = canvasRef.current?.getContext('2d');
    if (!context) return;
    const side = sideRef.current;
    context.clearRect(0, 0, side, side);
    for (const stroke of strokesRef.current) paintStroke(context, stroke, 0, side);
  }, []);

  // Backing store = CSS size × devicePixelRatio, so ink is sharp on high-DPI screens; the
  // strokes are rescaled when a responsive layout changes the pad's size.
  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    const resize = () => {
      const side = canvas.clientWidth;
      if (side === 0) return;
      const previous = sideRef.current;
      if (previous > 0 && previous !== side) {
        const factor = side / previous;
        for (const stroke of strokesRef.current) {
          for (let i = 0; i < stroke.length; i++) stroke[i] = { x: stroke[i].x * factor, y: stroke[i].y * factor };
        }
      }
      sideRef.current = side;
      const pixels = Math.round(side * window.devicePixelRatio);
      canvas.width = pixels;
      canvas.height = pixels;
      canvas.getContext('2d')?.setTransform(pixels / side, 0, 0, pixels / side, 0, 0);
      repaint();
    };
    resize();
    const observer = new ResizeObserver(resize);
    observer.observe(canvas);
    return () => {
      observer.disconnect();
      if (frameRef.current !== 0) cancelAnimationFrame(frameRef.current);
      frameRef.current = 0;
    };
  }, [repaint]);

  const pointOf = (event: PointerEvent): Point => {
    const canvas = canvasRef.current as HTMLCanvasElement;
    const rect = canvas.getBoundingClientRect();
    const side = sideRef.current;
    // Captured pointers report positions outside the pad; keep the ink on the visible pad.
    const clamp = (v: number) => Math.min(side, Math.max(0, v));
    return {
      x: clamp(((event.clientX - rect.left) * side) / rect.width),
      y: clamp(((event.clientY - rect.top) * side) / rect.height),
    };
  };

  const handlePointerDown = (event: ReactPointerEvent<HTMLCanvasElement>) => {
    if (activeRef.current !== null || !event.isPrimary) return;
    if (event.pointerType === 'mouse' && event.button !== 0) return;
    event.preventDefault();
    event.currentTarget.setPointerCapture(event.pointerId);
    const stroke = [pointOf(event.nativeEvent)];
    activeRef.current = { pointerId: event.pointerId, stroke };
    strokesRef.current.push(stroke);
    const context = event.currentTarget.getContext('2d');
    if (context) paintStroke(context, stroke, 0, sideRef.current);
    notifyOnNextFrame();
  };

  const handlePointerMove = (event: ReactPointerEvent<HTMLCanvasElement>) => {
    const active = activeRef.current;
    if (active === null || active.pointerId !== event.pointerId) return;
    const native = event.nativeEvent;
    // Coalesced events carry the pen's full sampling rate, not one point per frame.
    const samples = typeof native.getCoalescedEvents === 'function' ? native.getCoalescedEvents() : [];
    const from = active.stroke.length;
    for (const sample of samples.length > 0 ? samples : [native]) active.stroke.push(pointOf(sample));
    const context = event.currentTarget.getContext('2d');
    if (context) paintStroke(context, active.stroke, from, sideRef.current);
    notifyOnNextFrame();
  };

  const handlePointerEnd = (event: ReactPointerEvent<HTMLCanvasElement>) => {
    if (activeRef.current?.pointerId !== event.pointerId) return;
    activeRef.current = null;
    setStrokeCount(strokesRef.current.length);
    notifyNow();
  };

  const clear = () => {
    activeRef.current = null;
    strokesRef.current = [];
    setStrokeCount(0);
    repaint();
    notifyNow();
  };

  const undo = () => {
    activeRef.current = null;
    strokesRef.current.pop();
    setStrokeCount(strokesRef.current.length);
    repaint();
    notifyNow();
  };

  return (
    <div className="draw-canvas">
      <canvas
        ref={canvasRef}
        className="draw-canvas-pad"
        data-testid="draw-canvas"
        aria-label="Drawing pad: draw one digit with the mouse, a pen or a finger"
        role="img"
        onPointerDown={handlePointerDown}
        onPointerMove={handlePointerMove}
        onPointerUp={handlePointerEnd}
        onPointerCancel={handlePointerEnd}
        onLostPointerCapture={handlePointerEnd}
        onContextMenu={(event) => event.preventDefault()}
      />
      <div className="draw-canvas-actions">
        <button type="button" data-testid="undo-stroke" onClick={undo} disabled={strokeCount === 0}>
          Undo stroke
        </button>
        <button type="button" data-testid="clear-canvas" onClick={clear} disabled={strokeCount === 0}>
          Clear
        </button>
      </div>
    </div>
  );
}

/** Paints `stroke` from point `from` on (continuing from the point before it). */
function paintStroke(context: CanvasRenderingContext2D, stroke: readonly Point[], from: number, side: number): void {
  const width = side * PAD_PEN_FRACTION;
  context.strokeStyle = INK_COLOUR;
  context.fillStyle = INK_COLOUR;
  context.lineWidth = width;
  context.lineCap = 'round';
  context.lineJoin = 'round';
  if (stroke.length === 1) {
    context.beginPath();
    context.arc(stroke[0].x, stroke[0].y, width / 2, 0, 2 * Math.PI);
    context.fill();
    return;
  }
  const start = Math.max(0, from - 1);
  context.beginPath();
  context.moveTo(stroke[start].x, stroke[start].y);
  for (let i = start + 1; i < stroke.length; i++) context.lineTo(stroke[i].x, stroke[i].y);
  context.stroke();
}
