// An independent load generator for the cross-check of FanoutBench's baseline figure (issue 14): another process,
// another runtime (Node.js) and another WebSocket client (ws), the same room, window and messages. It opens a room of
// --room-size members on --url<room>, one of them publishing {"p":<phase>,"k":<seq>,"t":0,"pad":".."} with at most
// --window messages not yet received by every member (when the window is full it waits until at most half of it is
// incomplete, as FanoutBench does), and prints the messages per second delivered to the members.
//
//   node crosscheck.mjs [--url ws://localhost:9080/baseline/] [--room-size 1000] [--payload 100] [--window 32]
//                       [--warmup 2] [--seconds 6] [--runs 3] [--pause 3] [--subprotocol switchboard.batch]
//
// The server must be running with the baseline deployed: FanoutBench runs this script itself with
// -Dbench.crosscheck=true (after its scenarios, on the same server), or start one with the bench's deployment.
import WebSocket from 'ws';

const options = {
  url: 'ws://localhost:9080/baseline/', 'room-size': 1000, payload: 100, window: 32, warmup: 2, seconds: 6, runs: 3,
  pause: 3, subprotocol: '',
};
for (let i = 2; i < process.argv.length; i += 2) {
  const key = process.argv[i].replace(/^--/, '');
  if (!(key in options)) {
    console.error(`unknown option --${key}`);
    process.exit(2);
  }
  options[key] = typeof options[key] === 'number' ? Number(process.argv[i + 1]) : process.argv[i + 1];
}
const N = options['room-size'];
const WINDOW = options.window;
const RING = 1024; // > WINDOW
const pad = 'x'.repeat(Math.max(0, options.payload - 50));
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const BRACE = '{'.charCodeAt(0);
const P = 'p'.charCodeAt(0);
const NL = 10;

function number(buf, at, end) {
  let v = 0;
  let i = at;
  for (; i < end; i++) {
    const c = buf[i];
    if (c < 48 || c > 57) break;
    v = v * 10 + (c - 48);
  }
  return [v, i];
}

async function run(index) {
  const room = `xcheck-${process.pid}-${Date.now()}-${index}`;
  let phase = 0;
  let sync = true;
  const ready = new Uint8Array(N);
  let readyCount = 0;
  let counts = new Int32Array(RING);
  let completed = 0;
  let sent = 0;
  let delivered = 0;
  let blocked = false;
  let running = false;
  let publisher;

  // One message in the publisher's socket at a time, the next once the last is written (as FanoutBench's publisher
  // waits for each write): a burst of sends in one tick would reach the server as one segment of many frames.
  let writing = false;
  const pump = () => {
    if (!running || writing) return;
    const outstanding = sent - completed;
    if (blocked && outstanding > WINDOW / 2) return;
    blocked = false;
    if (outstanding >= WINDOW) {
      blocked = true;
      return;
    }
    sent++;
    writing = true;
    publisher.send(`{"p":${phase},"k":${sent},"t":0,"pad":"${pad}"}`, () => {
      writing = false;
      pump();
    });
  };

  const onMessage = (member, buf, s, e) => {
    if (e - s < 16 || buf[s + 2] !== 'r'.charCodeAt(0)) return;
    const i = buf.indexOf(BRACE, s + 1);
    if (i < 0 || i + 5 >= e || buf[i + 2] !== P) return;
    let [p, at] = number(buf, i + 5, e);
    if (p !== phase) return;
    if (sync) {
      if (!ready[member]) {
        ready[member] = 1;
        readyCount++;
      }
      return;
    }
    const [k] = number(buf, at + 5, e);
    delivered++;
    const slot = k % RING;
    if (++counts[slot] === N) {
      counts[slot] = 0;
      if (k > completed) completed = k;
      pump();
    }
  };

  const sockets = [];
  for (let m = 0; m < N; m++) {
    const ws = new WebSocket(options.url + room, options.subprotocol ? [options.subprotocol] : [],
      { perMessageDeflate: false, skipUTF8Validation: true }); // as FanoutBench's members: no UTF-8 check
    const batched = () => ws.protocol === 'switchboard.batch';
    ws.on('message', (data) => {
      if (!batched()) {
        onMessage(m, data, 0, data.length);
        return;
      }
      let s = 0;
      while (s < data.length) {
        let e = data.indexOf(NL, s);
        if (e < 0) e = data.length;
        onMessage(m, data, s, e);
        s = e + 1;
      }
    });
    sockets.push(new Promise((resolve, reject) => {
      ws.once('open', () => resolve(ws));
      ws.once('error', reject);
    }));
    if (sockets.length % 200 === 0) await sockets[sockets.length - 1];
  }
  const members = await Promise.all(sockets);
  publisher = members[N - 1];

  phase = 1; // sync: every member is in the room once a message of this phase reached each
  const deadline = Date.now() + 60_000;
  for (let k = 1; readyCount < N; k++) {
    if (Date.now() > deadline) throw new Error(`room never filled: ${readyCount} of ${N}`);
    publisher.send(`{"p":${phase},"k":${k},"t":0,"pad":""}`);
    await sleep(250);
  }
  sync = false;

  const phaseFor = async (id, seconds) => {
    phase = id;
    counts = new Int32Array(RING);
    completed = 0;
    sent = 0;
    delivered = 0;
    blocked = false;
    running = true;
    const t0 = process.hrtime.bigint();
    pump();
    await sleep(seconds * 1000);
    running = false;
    const elapsed = Number(process.hrtime.bigint() - t0) / 1e9;
    return { delivered, elapsed, sent };
  };
  await phaseFor(2, options.warmup);
  const drainEnd = Date.now() + 5000;
  while (completed < sent && Date.now() < drainEnd) await sleep(10);
  const cpu0 = process.cpuUsage();
  const m = await phaseFor(3, options.seconds);
  const cpu = process.cpuUsage(cpu0);
  // The messages in flight first (as FanoutBench): the server's loop must not be left writing to aborted sockets.
  const endDrain = Date.now() + 10_000;
  while (completed < sent && Date.now() < endDrain) await sleep(10);
  for (const ws of members) ws.terminate();
  const result = {
    url: options.url, roomSize: N, payloadBytes: options.payload, window: WINDOW, subprotocol: options.subprotocol,
    seconds: m.elapsed, sent: m.sent, deliveredPerSecond: m.delivered / m.elapsed,
    generatorCpuCores: (cpu.user + cpu.system) / 1e6 / m.elapsed,
  };
  console.log(JSON.stringify(result));
  return result;
}

const results = [];
for (let i = 0; i < options.runs; i++) {
  results.push(await run(i));
  await sleep(options.pause * 1000);
}
const sorted = results.map((r) => r.deliveredPerSecond).sort((a, b) => a - b);
const n = sorted.length;
const median = n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
console.log(JSON.stringify({ summary: true, runs: n, deliveredPerSecondMedian: median,
  deliveredPerSecondMin: sorted[0], deliveredPerSecondMax: sorted[n - 1] }));
process.exit(0);
