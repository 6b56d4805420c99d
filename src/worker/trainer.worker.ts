// Worker entry: builds the service and exposes it over Comlink. Nothing else lives here.
import { expose } from 'comlink';
import type { TrainerApi } from '../shared/trainer-api';
import { TrainerService } from './trainer-service';
import { yieldToEventLoop } from './yield-to-event-loop';

const service: TrainerApi = new TrainerService({ now: () => performance.now(), yieldToEventLoop });
expose(service);
