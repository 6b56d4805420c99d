// One training session per page, shared through context.

import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { createTrainerWorker, mnistUrls } from '../client/create-trainer-worker';
import { TrainerSession } from '../client/trainer-session';
import { parseUrlState, type UrlState } from '../client/url-state';

interface TrainerContextValue {
  readonly session: TrainerSession;
  /** The configuration the page was opened with. */
  readonly initialUrlState: UrlState;
}

const TrainerContext = createContext<TrainerContextValue | null>(null);

export function TrainerProvider({ children }: { children: ReactNode }) {
  const [value] = useState<TrainerContextValue>(() => ({
    session: new TrainerSession(createTrainerWorker, mnistUrls()),
    initialUrlState: parseUrlState(location.search),
  }));

  useEffect(() => {
    const { session, initialUrlState } = value;
    session.open(initialUrlState.hyperparameters, initialUrlState.problems);
    return () => session.close();
  }, [value]);

  return <TrainerContext.Provider value={value}>{children}</TrainerContext.Provider>;
}

export function useTrainerContext(): TrainerContextValue {
  const value = useContext(TrainerContext);
  if (value === null) throw new Error('useTrainerContext must be used inside <TrainerProvider>.');
  return value;
}
