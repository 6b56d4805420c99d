import { useSyncExternalStore } from 'react';
import type { SessionSnapshot, TrainerSession } from '../client/trainer-session';
import { useTrainerContext } from './trainer-context';

/** The session and its latest status, progress, error and notices. */
export function useSession(): { session: TrainerSession } & SessionSnapshot {
  const { session } = useTrainerContext();
  const snapshot = useSyncExternalStore(session.subscribe, session.getSnapshot);
  return { session, ...snapshot };
}
