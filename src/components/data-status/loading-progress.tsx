import { useSession } from '../../hooks/use-session';

const PHASE_LABELS = {
  download: 'Downloading MNIST',
  decompress: 'Decompressing',
  parse: 'Checking the files',
  done: 'Data ready',
} as const;

/** The data download, with bytes so a slow connection shows it is moving. */
export function LoadingProgress() {
  const { progress, status } = useSession();
  if (status?.state !== 'loading' && progress?.phase === 'done') return null;
  const fraction = progress && progress.totalBytes > 0 ? progress.loadedBytes / progress.totalBytes : null;
  const label = progress ? PHASE_LABELS[progress.phase] : 'Starting';
  return (
    <div className="loading-progress" data-testid="data-progress" data-phase={progress?.phase ?? ''} data-fraction={fraction ?? ''}>
      <span>
        {label}
        {progress?.phase === 'download' &&
          ` — ${formatMegabytes(progress.loadedBytes)}${progress.totalBytes > 0 ? ` of ${formatMegabytes(progress.totalBytes)}` : ''}`}
      </span>
      <progress max={1} value={fraction ?? undefined} aria-label={label} />
    </div>
  );
}

function formatMegabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}
