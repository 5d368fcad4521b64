// Preloaded into the language server by the edit-session test (`node --require`), over an IPC
// channel the test opens: answers `heap` with the main thread's heap after a full garbage
// collection. The inspector protocol collects without --expose-gc, so the server runs exactly
// as it does for users; nothing of this is in the server's own code.
const { Session } = require('node:inspector');

const session = new Session();
session.connect();
process.channel?.unref();
process.on('message', (message) => {
  if (message !== 'heap') return;
  session.post('HeapProfiler.collectGarbage', () => {
    const { heapUsed, rss } = process.memoryUsage();
    process.send({ heapUsed, rss });
  });
});
