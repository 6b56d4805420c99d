// The two-thread backend's helper thread in the browser: a worker nested in the training
// worker that serves batches until it is terminated (the app and the bench both use it).

import { runGradientHelper, type HelperInit } from '../engine/wasm/two-thread-backend';

self.addEventListener('message', (event: MessageEvent<HelperInit>) => runGradientHelper(event.data), { once: true });
