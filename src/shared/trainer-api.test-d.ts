// Compile-time checks (run by `tsc -b`): what the page sees of the worker through Comlink.
import type { Remote } from 'comlink';
import { expectTypeOf } from 'vitest';
import type { Prediction, TrainerApi, TrainerListener } from './trainer-api';

declare const remote: Remote<TrainerApi>;

expectTypeOf(remote.predict).parameter(0).toEqualTypeOf<Float32Array>();
expectTypeOf(remote.predict).returns.resolves.toEqualTypeOf<Prediction>();
expectTypeOf(remote.step).parameter(0).toEqualTypeOf<'batch' | 'epoch'>();
expectTypeOf(remote.start).returns.resolves.toBeVoid();
expectTypeOf<Parameters<TrainerApi['subscribe']>[0]>().toEqualTypeOf<TrainerListener>();
// Every method of the contract is asynchronous, so it can cross the worker boundary as is.
expectTypeOf<{ [K in keyof TrainerApi]: ReturnType<TrainerApi[K]> }>().toExtend<Record<keyof TrainerApi, Promise<unknown>>>();
