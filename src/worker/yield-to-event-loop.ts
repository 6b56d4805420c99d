// A macrotask yield through a MessageChannel: unlike setTimeout(0) it is not clamped to
// 4 ms after nesting, and unlike a resolved promise it lets queued messages (pause, a new
// learning rate, predict) run before the loop continues.

let channel: MessageChannel | null = null;
const waiting: Array<() => void> = [];

export function yieldToEventLoop(): Promise<void> {
  if (channel === null) {
    channel = new MessageChannel();
    channel.port1.onmessage = () => waiting.shift()?.();
  }
  const { port2 } = channel;
  return new Promise((resolve) => {
    waiting.push(resolve);
    port2.postMessage(null);
  });
}
