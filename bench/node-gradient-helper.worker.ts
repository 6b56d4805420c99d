// The helper thread's entry in Node (see node-gradient-helper.ts).

import { workerData } from 'node:worker_threads';
import { runGradientHelper, type HelperInit } from '../src/engine/wasm/two-thread-backend';

runGradientHelper(workerData as HelperInit);
