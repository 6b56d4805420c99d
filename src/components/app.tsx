import { useCallback } from 'react';
import { useSession } from '../hooks/use-session';
import { useUrlSync } from '../hooks/use-url-sync';
import { UserSamplesProvider, useUserSamplesActions } from '../hooks/use-user-samples';
import { TrainingCharts } from './charts/training-charts';
import { HyperparameterControls } from './controls/hyperparameter-controls';
import { TrainingControls } from './controls/training-controls';
import { ErrorBanner, NoticesBanner } from './data-status/error-banner';
import { LoadingProgress } from './data-status/loading-progress';
import { DrawPanel } from './draw/draw-panel';
import { StatusLine } from './status-line';
import { UserSamplesPanel } from './user-samples/user-samples-panel';

/** The page. It reads no training state itself, so status updates re-render only what shows them. */
export function App() {
  return (
    <div className="app">
      <header>
        <h1>MNIST Playground</h1>
        <Tagline />
      </header>
      <UrlSync />
      <ErrorBanner />
      <NoticesBanner />
      <LoadingProgress />
      <StatusLine />
      <main className="layout">
        <section className="panel train-panel" aria-label="Training">
          <TrainingControls />
          <TrainingCharts />
          <HyperparameterControls />
        </section>
        <UserSamplesProvider>
          <div className="side-column">
            <section className="panel draw-area" aria-label="Draw a digit">
              <h2>Draw a digit</h2>
              <LiveDrawPanel />
            </section>
            <UserSamplesPanel />
          </div>
        </UserSamplesProvider>
      </main>
      <footer>
        Data: the MNIST database of handwritten digits (Y. LeCun, C. Cortes, C. J. C. Burges). Training runs in a Web
        Worker; nothing leaves your machine.
      </footer>
    </div>
  );
}

function UrlSync() {
  useUrlSync();
  return null;
}

function Tagline() {
  const { status } = useSession();
  return (
    <p className="tagline">
      A 784-{status?.hyperparameters.hiddenSize ?? 128}-10 neural network learns to read handwritten digits, live in your
      browser. Draw a digit while it trains.
    </p>
  );
}

function LiveDrawPanel() {
  const { session, status } = useSession();
  const { add } = useUserSamplesActions();
  const classify = useCallback((pixels: Float32Array) => session.predict(pixels), [session]);
  // Changes whenever the network does, so the drawing is classified again as it learns.
  const refreshKey = status === null ? 0 : status.runId * 1e12 + status.samplesSeen;
  return <DrawPanel classify={classify} refreshKey={refreshKey} onTeach={add} />;
}
