import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './components/app';
import { TrainerProvider } from './hooks/trainer-context';
import './components/app.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <TrainerProvider>
      <App />
    </TrainerProvider>
  </StrictMode>,
);
