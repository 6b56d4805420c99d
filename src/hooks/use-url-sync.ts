import { useEffect, useRef } from 'react';
import { serializeUrlState } from '../client/url-state';
import type { Hyperparameters } from '../shared/hyperparameters';
import { useTrainerContext } from './trainer-context';
import { useHyperparameters, useSession } from './use-session';

const URL_WRITE_DELAY_MS = 250;

/** Keeps the query string equal to the settings in force; starts training if asked to. */
export function useUrlSync(): void {
  const { session, status } = useSession();
  const { initialUrlState } = useTrainerContext();
  const hyperparameters: Hyperparameters | null = useHyperparameters();

  useEffect(() => {
    if (hyperparameters === null) return;
    const timer = setTimeout(() => {
      const search = serializeUrlState(hyperparameters, location.search);
      if (search !== location.search) history.replaceState(history.state, '', `${location.pathname}${search}${location.hash}`);
    }, URL_WRITE_DELAY_MS);
    return () => clearTimeout(timer);
  }, [hyperparameters]);

  const autostarted = useRef(false);
  useEffect(() => {
    if (!initialUrlState.autostart || autostarted.current || status?.state !== 'ready') return;
    autostarted.current = true;
    void session.start();
  }, [initialUrlState.autostart, session, status?.state]);
}
