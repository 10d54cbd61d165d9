// Waits until host:port answers a Kafka ApiVersions v0 request; prints the epoch ms it did.
// Used to time "process start → first accepted request" for both brokers the same way.
import { connect } from 'node:net';

const [host = '127.0.0.1', port = '9192'] = process.argv.slice(2);
// size, apiKey 18, version 0, correlation id 1, client id "bench"
const body = Buffer.from([0, 18, 0, 0, 0, 0, 0, 1, 0, 5, ...Buffer.from('bench')]);
const frame = Buffer.concat([Buffer.from([0, 0, 0, body.length]), body]);

function attempt() {
  return new Promise((resolve) => {
    const s = connect({ host, port: Number(port) });
    s.once('connect', () => s.write(frame));
    s.once('data', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

for (;;) {
  if (await attempt()) break;
  await new Promise((r) => setTimeout(r, 5));
}
console.log(Date.now());
