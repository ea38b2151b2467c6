// The browser client's rules, without a browser: Node's own test runner and a fake WebSocket and timers. Run by
// `mvn verify` (tests/pom.xml, exec-maven-plugin) as `node --test js/`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  connect, backoffDelay, shouldRetry, resumeUrl, RETRY_CODES, BATCH_SUBPROTOCOL,
} from '../../src/main/resources/META-INF/resources/switchboard/switchboard.js';

/** A WebSocket the test drives: every one made is kept, in order. */
function fakes() {
  const made = [];
  class FakeSocket {
    constructor(url, protocols) {
      this.url = url;
      this.protocols = protocols;
      this.protocol = '';
      this.sent = [];
      this.closedWith = null;
      made.push(this);
    }
    send(text) { this.sent.push(text); }
    close(code, reason) { this.closedWith = { code, reason }; this.readyState = 2; }
    // driven by the test
    open(protocol = '') { this.protocol = protocol; this.readyState = 1; this.onopen?.({}); }
    frame(value) { this.onmessage?.({ data: typeof value === 'string' ? value : JSON.stringify(value) }); }
    drop(code, reason = '') { this.readyState = 3; this.onclose?.({ code, reason }); }
  }
  const timers = [];
  const clock = { now: 0 };
  return {
    made,
    timers,
    clock,
    options: {
      WebSocket: FakeSocket,
      random: () => 0.5,
      now: () => clock.now,
      setTimeout: (fn, ms) => { timers.push({ fn, ms }); return timers.length; },
      clearTimeout: (handle) => { timers[handle - 1].cleared = true; },
    },
    /** Runs the last timer set, as if its delay had passed. */
    fire() {
      const t = timers[timers.length - 1];
      assert.ok(t && !t.cleared, 'a reconnect timer is set');
      t.fn();
    },
  };
}

function record(client, type) {
  const events = [];
  client.on(type, (e) => events.push(e));
  return events;
}

const stamped = (offset, text, epoch = 'E1') => ({ room: 'r', message: { text }, offset, epoch });

test('the backoff doubles from its start, is capped, and its jitter keeps between half and all of it', () => {
  const b = { initialMs: 100, maxMs: 1000, factor: 2 };
  assert.deepEqual([0, 1, 2, 3, 4, 5].map((n) => backoffDelay(n, b, () => 1)), [100, 200, 400, 800, 1000, 1000]);
  assert.deepEqual([0, 1, 2, 3, 4, 5].map((n) => backoffDelay(n, b, () => 0)), [50, 100, 200, 400, 500, 500]);
  for (let i = 0; i < 1000; i++) {
    const d = backoffDelay(3, b);
    assert.ok(d >= 400 && d <= 800, `jitter out of range: ${d}`);
  }
});

test('it retries on going away, no status, abnormal closure, server error, restart, try again later, bad gateway', () => {
  assert.deepEqual([...RETRY_CODES].sort(), [1001, 1005, 1006, 1011, 1012, 1013, 1014]);
  for (const code of [1000, 1002, 1003, 1007, 1008, 1009, 1010, 4000, 4403, 4999]) {
    assert.equal(shouldRetry(code), false, `code ${code}`);
  }
});

test('a dropped connection reconnects after the backoff, with the state told at each step', () => {
  const f = fakes();
  const client = connect('ws://h/chat/a', { ...f.options, backoff: { initialMs: 1000, maxMs: 8000 } });
  const states = record(client, 'state');
  f.made[0].open();
  f.made[0].drop(1006);
  assert.equal(client.state, 'reconnecting');
  assert.equal(f.timers[0].ms, 750); // half of 1000 plus half the jitter
  f.fire();
  assert.equal(f.made.length, 2);
  f.made[1].drop(1006); // the server is still down: the next wait is longer
  assert.equal(f.timers[1].ms, 1500);
  f.fire();
  f.made[2].open();
  f.clock.now += 5000;
  f.made[2].drop(1012);
  assert.equal(f.timers[2].ms, 750, 'a connection that stayed open starts the backoff over');
  assert.deepEqual(states.map((s) => s.state),
    ['open', 'reconnecting', 'connecting', 'reconnecting', 'connecting', 'open', 'reconnecting']);
  assert.deepEqual(states[1], { state: 'reconnecting', code: 1006, reason: '', delayMs: 750, attempt: 1 });
});

for (const code of [1000, 1008, 4001]) {
  test(`a close with ${code} is final: no reconnect`, () => {
    const f = fakes();
    const client = connect('ws://h/chat/private-x', f.options);
    const states = record(client, 'state');
    f.made[0].drop(code, 'not allowed');
    assert.equal(client.state, 'closed');
    assert.deepEqual(states, [{ state: 'closed', code, reason: 'not allowed' }]);
    assert.equal(f.timers.length, 0);
  });
}

test('a reconnect resumes from the last offset and epoch seen, keeping the other parameters', () => {
  const f = fakes();
  const client = connect('ws://h/chat/a?name=Ada', f.options);
  f.made[0].open();
  f.made[0].frame({ type: 'welcome' });
  f.made[0].frame(stamped(1, 'one'));
  f.made[0].frame(stamped(2, 'two'));
  f.made[0].drop(1001);
  f.fire();
  assert.equal(f.made[1].url, 'ws://h/chat/a?name=Ada&since=2&epoch=E1');
  assert.deepEqual(client.position, { epoch: 'E1', offset: 2 });
  assert.equal(resumeUrl('ws://h/x?since=1&epoch=old#top', { epoch: 'E2', offset: 9 }), 'ws://h/x?since=9&epoch=E2');
});

test('what a resume repeats is shown once, and messages come in order across the reconnect', () => {
  const f = fakes();
  const client = connect('ws://h/chat/a', f.options);
  const messages = record(client, 'message');
  f.made[0].open();
  for (let i = 1; i <= 3; i++) {
    f.made[0].frame(stamped(i, `m${i}`));
  }
  f.made[0].drop(1006);
  f.fire();
  f.made[1].open();
  for (let i = 2; i <= 5; i++) { // the server replays from before the client's position
    f.made[1].frame(stamped(i, `m${i}`));
  }
  assert.deepEqual(messages.map((m) => m.message.text), ['m1', 'm2', 'm3', 'm4', 'm5']);
  assert.deepEqual(messages.map((m) => m.offset), [1, 2, 3, 4, 5]);
});

test('a reset says what was missed: how many in the same epoch, unknown in a new one', () => {
  const f = fakes();
  const client = connect('ws://h/chat/a', f.options);
  const resets = record(client, 'reset');
  const messages = record(client, 'message');
  f.made[0].open();
  f.made[0].frame(stamped(10, 'ten'));
  f.made[0].frame({ type: 'reset', epoch: 'E1', offset: 25 });
  assert.deepEqual(client.position, { epoch: 'E1', offset: 25 }, 'a reconnect now resumes after the reset');
  f.made[0].frame(stamped(26, 'after'));
  f.made[0].frame({ type: 'reset', epoch: 'E2', offset: 0 });
  f.made[0].frame(stamped(1, 'new epoch', 'E2'));
  assert.deepEqual(resets, [
    { from: { epoch: 'E1', offset: 10 }, to: { epoch: 'E1', offset: 25 }, epochChanged: false, missed: 15 },
    { from: { epoch: 'E1', offset: 26 }, to: { epoch: 'E2', offset: 0 }, epochChanged: true, missed: null },
  ]);
  assert.deepEqual(messages.map((m) => m.message.text), ['ten', 'after', 'new epoch']);
});

test('presence keeps the member list: the list replaces it, joins and leaves change it', () => {
  const f = fakes();
  const client = connect('ws://h/chat/a', f.options);
  const presence = record(client, 'presence');
  f.made[0].open();
  f.made[0].frame({ type: 'presence', joined: { id: 'old' }, offset: 1, epoch: 'E1' }); // replayed: before the list
  f.made[0].frame({ type: 'presence', members: [{ id: 'a' }, { id: 'b' }] });
  f.made[0].frame({ type: 'presence', joined: { id: 'c' }, offset: 2, epoch: 'E1' });
  f.made[0].frame({ type: 'presence', left: { id: 'a' }, offset: 3, epoch: 'E1' });
  assert.deepEqual(client.members.map((m) => m.id), ['b', 'c']);
  assert.deepEqual(presence.map((p) => p.members.map((m) => m.id)), [['a', 'b'], ['a', 'b', 'c'], ['b', 'c']]);
  assert.equal(presence[1].joined.id, 'c');
  assert.equal(presence[2].left.id, 'a');
  f.made[0].drop(1006);
  f.fire();
  f.made[1].open();
  f.made[1].frame({ type: 'presence', members: [{ id: 'c' }] }); // after a reconnect the server's list counts
  assert.deepEqual(client.members.map((m) => m.id), ['c']);
});

test('error frames are errors, the connection stays; send works only while open; close stops reconnecting', () => {
  const f = fakes();
  const client = connect('ws://h/chat/a', f.options);
  const errors = record(client, 'error');
  assert.equal(client.send({ text: 'too early' }), false);
  f.made[0].open();
  assert.equal(client.send({ text: 'hi' }), true);
  assert.deepEqual(f.made[0].sent, ['{"text":"hi"}']);
  f.made[0].frame({ type: 'error', error: 'a message must be a JSON object' });
  assert.deepEqual(errors.map((e) => e.error), ['a message must be a JSON object']);
  assert.equal(client.state, 'open');
  f.made[0].readyState = 2; // closing: the server's close frame came, its close event not yet
  assert.equal(client.send({ text: 'lost' }), false, 'a closing socket would drop it');
  f.made[0].drop(1006);
  client.close();
  assert.equal(f.timers[0].cleared, true);
  assert.equal(client.state, 'closed');
  assert.equal(client.send({ text: 'after' }), false);
});

test('a listener that throws does not stop the others', () => {
  const f = fakes();
  const client = connect('ws://h/chat/a', f.options);
  const seen = [];
  client.on('message', () => { throw new Error('boom'); });
  client.on('message', (m) => seen.push(m.message.text));
  const quiet = console.error;
  console.error = () => {};
  try {
    f.made[0].open();
    f.made[0].frame(stamped(1, 'x'));
  } finally {
    console.error = quiet;
  }
  assert.deepEqual(seen, ['x']);
});

test('a server that accepts and then refuses at once does not reset the backoff: it keeps growing', () => {
  const f = fakes();
  const client = connect('ws://h/chat/a', { ...f.options, backoff: { initialMs: 1000, maxMs: 8000 } });
  for (let i = 0; i < 4; i++) {
    f.made[i].open();
    f.clock.now += 100;
    f.made[i].drop(1013, 'try again later');
    f.fire();
  }
  assert.deepEqual(f.timers.map((t) => t.ms), [750, 1500, 3000, 6000]);
  assert.equal(client.state, 'connecting');
});

test('a page that never got in gives up after its first attempts and says so; once in, it retries for ever', () => {
  const f = fakes();
  const client = connect('ws://h/chat/..', f.options); // a refused handshake: 1006, never open
  const states = record(client, 'state');
  f.made[0].drop(1006);
  f.fire();
  f.made[1].drop(1006);
  f.fire();
  f.made[2].drop(1006);
  assert.equal(client.state, 'closed');
  assert.deepEqual(states[states.length - 1], { state: 'closed', code: 1006, reason: 'could not connect' });
  assert.equal(f.timers.length, 2);

  const g = fakes();
  const back = connect('ws://h/chat/a', g.options);
  g.made[0].open();
  g.made[0].drop(1006);
  for (let i = 1; i <= 6; i++) { // the server is down for a while
    g.fire();
    g.made[i].drop(1006);
  }
  assert.equal(back.state, 'reconnecting');
});

test('a reset behind what the client has, in the same epoch, changes nothing: the replay after it is dropped', () => {
  const f = fakes();
  const client = connect('ws://h/chat/a', f.options);
  const resets = record(client, 'reset');
  const messages = record(client, 'message');
  f.made[0].open();
  for (let i = 1; i <= 5; i++) {
    f.made[0].frame(stamped(i, `m${i}`));
  }
  f.made[0].frame({ type: 'reset', epoch: 'E1', offset: 2 }); // a server that lags behind this client
  for (let i = 3; i <= 6; i++) {
    f.made[0].frame(stamped(i, `m${i}`));
  }
  assert.deepEqual(resets, []);
  assert.deepEqual(messages.map((m) => m.message.text), ['m1', 'm2', 'm3', 'm4', 'm5', 'm6']);
  assert.deepEqual(client.position, { epoch: 'E1', offset: 6 });
});

test('a malformed reset is not a reset: the position stays, and the next reconnect resumes from it', () => {
  const f = fakes();
  const client = connect('ws://h/chat/a', f.options);
  const resets = record(client, 'reset');
  f.made[0].open();
  f.made[0].frame(stamped(4, 'four'));
  f.made[0].frame({ type: 'reset' });
  f.made[0].frame({ type: 'reset', epoch: 'E9', offset: -1 });
  assert.deepEqual(resets, []);
  f.made[0].drop(1006);
  f.fire();
  assert.equal(f.made[1].url, 'ws://h/chat/a?since=4&epoch=E1');
});

test('a stale connection closing late, and closing twice, change nothing; close while connecting stops all', () => {
  const f = fakes();
  const client = connect('ws://h/chat/a', f.options);
  const states = record(client, 'state');
  f.made[0].open();
  f.made[0].drop(1006);
  f.fire();
  f.made[0].drop(1006); // the old socket's close, again: ignored
  assert.equal(f.timers.length, 1);
  client.close();
  client.close();
  assert.equal(f.made[1].closedWith.code, 1000);
  f.made[1].drop(1000);
  assert.deepEqual(states.map((s) => s.state), ['open', 'reconnecting', 'connecting', 'closed']);
});

test('a listener that closes the client on reconnecting stops the reconnect', () => {
  const f = fakes();
  const client = connect('ws://h/chat/a', f.options);
  client.on('state', (s) => { if (s.state === 'reconnecting') client.close(); });
  f.made[0].open();
  f.made[0].drop(1006);
  assert.equal(client.state, 'closed');
  assert.equal(f.timers[0].cleared, true);
});

test('the first state, connecting, is told to listeners added right after connect', async () => {
  const f = fakes();
  const client = connect('ws://h/chat/a', f.options);
  const states = record(client, 'state');
  await Promise.resolve();
  assert.deepEqual(states, [{ state: 'connecting' }]);
});

test('it asks for joined frames and splits one into its messages, in order, each deduplicated as if sent alone', () => {
  const f = fakes();
  const client = connect('ws://h/chat/a', f.options);
  const messages = record(client, 'message');
  assert.equal(f.made[0].protocols, BATCH_SUBPROTOCOL);
  f.made[0].open(BATCH_SUBPROTOCOL);
  f.made[0].frame([stamped(1, 'a'), stamped(2, 'b')].map((m) => JSON.stringify(m)).join('\n'));
  f.made[0].frame([stamped(2, 'b'), stamped(3, 'c')].map((m) => JSON.stringify(m)).join('\n')); // 2 again: dropped
  assert.deepEqual(messages.map((m) => m.message.text), ['a', 'b', 'c']);
  assert.deepEqual(client.position, { epoch: 'E1', offset: 3 });
});

test('a server that did not take the subprotocol sends one message per frame, and a line feed is not split', () => {
  const f = fakes();
  const client = connect('ws://h/chat/a', f.options);
  const frames = record(client, 'frame');
  f.made[0].open(''); // no subprotocol agreed
  f.made[0].frame('not json\nat all');
  assert.deepEqual(frames.map((e) => e.frame), ['not json\nat all']);
});

test('batch: false asks for no subprotocol', () => {
  const f = fakes();
  connect('ws://h/chat/a', { ...f.options, batch: false });
  assert.equal(f.made[0].protocols, undefined);
});

test('a listener that closes the client mid-frame gets none of the frame\'s later messages', () => {
  const f = fakes();
  const client = connect('ws://h/chat/a', f.options);
  const seen = [];
  client.on('message', (e) => { seen.push(e.message.text); client.close(); });
  f.made[0].open(BATCH_SUBPROTOCOL);
  f.made[0].frame([stamped(1, 'a'), stamped(2, 'b')].map((m) => JSON.stringify(m)).join('\n'));
  assert.deepEqual(seen, ['a']);
});
