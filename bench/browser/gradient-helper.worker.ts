// The two-thread backend's helper thread in the browser: a nested worker that serves
// batches until it is terminated.

import { runGradientHelper, type HelperInit } from '../../src/engine/wasm/two-thread-backend';

self.addEventListener('message', (event: MessageEvent<HelperInit>) => runGradientHelper(event.data), { once: true });
