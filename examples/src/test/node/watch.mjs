// Watches one sse-watch stream with the npm `eventsource` package and prints one JSON line per
// connection change or event, for NodeEventSourceTest to parse:
//   {"kind":"open"}
//   {"kind":"error","message":"..."}
//   {"kind":"event","type":"created","id":"42-9c1e44d2","data":"{...}"}
// Usage: node watch.mjs URL MAX_SECONDS
// The script exits by itself after MAX_SECONDS; the test also stops it by its process id.
import { EventSource } from 'eventsource';

const [url, maxSeconds] = process.argv.slice(2);
if (!url || !(Number(maxSeconds) > 0)) {
  console.error('usage: node watch.mjs URL MAX_SECONDS (expected: a stream URL and a positive '
    + 'number of seconds)');
  process.exit(2);
}

const print = (line) => process.stdout.write(JSON.stringify(line) + '\n');
const source = new EventSource(url);
source.onopen = () => print({ kind: 'open' });
source.onerror = (err) => print({ kind: 'error', message: String(err.message ?? err.code ?? '') });
for (const type of ['snapshot', 'created', 'updated', 'deleted', 'oversized', 'unavailable']) {
  source.addEventListener(type, (event) => {
    print({ kind: 'event', type, id: event.lastEventId, data: event.data });
  });
}

setTimeout(() => {
  source.close();
  process.exit(0);
}, Number(maxSeconds) * 1000);
