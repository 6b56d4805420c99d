// The user's own labelled drawings: loaded from the browser's storage once, kept in step with
// the training worker, and shared by the draw panel (which adds) and the samples panel
// (which lists, removes, exports and imports).

import {
  createContext,
  createElement,
  useContext,
  useEffect,
  useMemo,
  useState,
  useSyncExternalStore,
  type ReactNode,
} from 'react';
import { UserSamplesStore } from '../client/user-samples-store';
import type { UserSample } from '../shared/trainer-api';
import { useTrainerContext } from './trainer-context';

export const EXPORT_FILE_NAME = 'mnist-playground-samples.json';

export interface UserSamplesState {
  /** Oldest first. */
  readonly samples: readonly UserSample[];
  /** False until the stored samples have been read (or failed to be). */
  readonly loaded: boolean;
  /** A storage problem or a refused import, for the user to read; null when all is well. */
  readonly problem: string | null;
  /** The outcome of the last import, shown until dismissed. */
  readonly notice: string | null;
}

export interface UserSamplesActions {
  /** Stores a drawing (784 intensities in 0..1) with its label; rejects with a readable message. */
  add(pixels: Float32Array, label: number): Promise<UserSample>;
  remove(id: string): Promise<void>;
  clear(): Promise<void>;
  /** Downloads every sample as `mnist-playground-samples.json`. */
  exportFile(): Promise<void>;
  /** Adds the samples of an exported file; a bad file changes nothing and says why. */
  importFile(file: Blob): Promise<void>;
  dismissMessages(): void;
}

// Two contexts, so that components which only add (the draw panel) never re-render when
// the list changes.
const StateContext = createContext<UserSamplesState | null>(null);
const ActionsContext = createContext<UserSamplesActions | null>(null);

const INITIAL_STATE: UserSamplesState = { samples: [], loaded: false, problem: null, notice: null };

export function UserSamplesProvider({ children }: { children: ReactNode }) {
  const { session } = useTrainerContext();
  const [store] = useState(() => new UserSamplesStore());
  const [state, setState] = useState(INITIAL_STATE);

  useEffect(() => {
    let live = true;
    store.list().then(
      (stored) =>
        live &&
        setState((previous) => {
          // A sample added while the list was being read may or may not be in it.
          const storedIds = new Set(stored.map((sample) => sample.id));
          const samples = [...stored, ...previous.samples.filter((sample) => !storedIds.has(sample.id))];
          return { ...previous, samples, loaded: true };
        }),
      (error: unknown) => live && setState((previous) => ({ ...previous, loaded: true, problem: messageOf(error) })),
    );
    return () => {
      live = false;
    };
  }, [store]);

  // The worker trains on exactly the listed samples; the session re-sends them after a restart.
  const { samples, loaded } = state;
  useEffect(() => {
    if (!loaded) return;
    void session.setUserSamples(samples.map(({ label, pixels }) => ({ label, pixels })));
  }, [session, samples, loaded]);

  const actions = useMemo<UserSamplesActions>(() => {
    const report = (error: unknown) => setState((previous) => ({ ...previous, problem: messageOf(error), notice: null }));
    return {
      async add(pixels, label) {
        try {
          const sample = await store.add(pixels, label);
          setState((previous) => ({ ...previous, samples: [...previous.samples, sample] }));
          return sample;
        } catch (error) {
          throw new Error(messageOf(error));
        }
      },
      async remove(id) {
        try {
          await store.remove(id);
          setState((previous) => ({ ...previous, samples: previous.samples.filter((sample) => sample.id !== id) }));
        } catch (error) {
          report(error);
        }
      },
      async clear() {
        try {
          await store.clear();
          setState((previous) => ({ ...previous, samples: [] }));
        } catch (error) {
          report(error);
        }
      },
      async exportFile() {
        try {
          const data = await store.exportAll();
          downloadJson(data, EXPORT_FILE_NAME);
        } catch (error) {
          report(error);
        }
      },
      async importFile(file) {
        try {
          const { added, alreadyPresent } = await store.importJson(await file.text());
          const samples = await store.list();
          const notice = `Imported ${added} ${added === 1 ? 'sample' : 'samples'}${alreadyPresent > 0 ? ` (${alreadyPresent} already here)` : ''}.`;
          setState((previous) => ({ ...previous, samples, problem: null, notice }));
        } catch (error) {
          report(error);
        }
      },
      dismissMessages() {
        setState((previous) => ({ ...previous, problem: null, notice: null }));
      },
    };
  }, [store]);

  return createElement(
    ActionsContext.Provider,
    { value: actions },
    createElement(StateContext.Provider, { value: state }, children),
  );
}

/** The stored samples and any problem with them; re-renders only when they change. */
export function useUserSamples(): UserSamplesState {
  const state = useContext(StateContext);
  if (state === null) throw new Error('useUserSamples must be used inside <UserSamplesProvider>.');
  return state;
}

/** What can be done with the samples; the same object for the page's lifetime. */
export function useUserSamplesActions(): UserSamplesActions {
  const actions = useContext(ActionsContext);
  if (actions === null) throw new Error('useUserSamplesActions must be used inside <UserSamplesProvider>.');
  return actions;
}

/**
 * How many samples the worker trains on and how many it reads correctly. Selecting two
 * numbers keeps the status stream (several updates a second) from re-rendering the caller.
 */
export function useUserSamplesProgress(): { readonly count: number; readonly learned: number } | null {
  const { session } = useTrainerContext();
  const count = useSyncExternalStore(session.subscribe, () => session.getSnapshot().status?.userSamples.count ?? -1);
  const learned = useSyncExternalStore(session.subscribe, () => session.getSnapshot().status?.userSamples.learned ?? 0);
  return useMemo(() => (count < 0 ? null : { count, learned }), [count, learned]);
}

function downloadJson(data: unknown, fileName: string): void {
  const url = URL.createObjectURL(new Blob([JSON.stringify(data)], { type: 'application/json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  // Revoked later rather than at once: some browsers read the URL after click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
