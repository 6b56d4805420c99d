import { useCallback, useRef, useSyncExternalStore } from 'react';
import type { SessionSnapshot, TrainerSession } from '../client/trainer-session';
import type { Hyperparameters } from '../shared/hyperparameters';
import { useTrainerContext } from './trainer-context';

/** The session and its latest status, progress, error and notices. */
export function useSession(): { session: TrainerSession } & SessionSnapshot {
  const { session } = useTrainerContext();
  const snapshot = useSyncExternalStore(session.subscribe, session.getSnapshot);
  return { session, ...snapshot };
}

/**
 * The settings in force, or null before the worker answers. Every status message carries a
 * fresh copy of them; this keeps the previous object while the content is the same, so
 * components reading only settings do not re-render ten times a second during training.
 */
export function useHyperparameters(): Hyperparameters | null {
  const { session } = useTrainerContext();
  const latest = useRef<{ key: string; value: Hyperparameters } | null>(null);
  const readSettings = useCallback(() => {
    const current = session.getSnapshot().status?.hyperparameters;
    if (current === undefined) return null;
    const key = JSON.stringify(current);
    if (latest.current?.key !== key) latest.current = { key, value: current };
    return latest.current.value;
  }, [session]);
  return useSyncExternalStore(session.subscribe, readSettings);
}
