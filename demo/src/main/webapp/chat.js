// The demo's chat page, on Switchboard's browser client (served by the module at /switchboard/switchboard.js).
import { connect } from '/switchboard/switchboard.js';

const $ = (id) => document.getElementById(id);
const log = $('log');
let room = null; // the Switchboard client of the room joined
let countdown = null;

function line(cls, ...parts) {
  const li = document.createElement('li');
  li.className = cls;
  for (const part of parts) {
    li.append(part);
  }
  log.append(li);
  log.scrollTop = log.scrollHeight;
  return li;
}

function span(cls, text) {
  const s = document.createElement('span');
  s.className = cls;
  s.textContent = text;
  return s;
}

function clock(millis) {
  const t = document.createElement('time');
  const at = new Date(millis);
  t.dateTime = at.toISOString();
  t.textContent = at.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  return t;
}

const nameOf = (member) => member.attributes?.name ?? member.principal ?? 'someone';

// The state is announced (role=status) when it changes; a countdown in it is not (aria-hidden), or a screen reader
// would read it out every second.
function showState(text, cls, countdown = '') {
  const state = $('state');
  const seconds = document.createElement('span');
  seconds.setAttribute('aria-hidden', 'true');
  seconds.textContent = countdown;
  state.replaceChildren(text, seconds);
  state.className = `state ${cls}`;
}

// What a close means to a person; the server's reason names the rule that was broken.
function closedInWords(code, reason) {
  if (code === 1008 && /requires the role member/.test(reason)) {
    return 'This room is private: sign in as a member to join it.';
  }
  if (code === 1008 && /name "/.test(reason)) {
    return `That name cannot be used: ${reason.replace(/^.*?name /, 'the name ')}.`;
  }
  if (code === 1008) {
    return `The server refused: ${reason || 'not allowed'}.`;
  }
  if (code === 1009) {
    return 'A message was too large, so the server closed the connection.';
  }
  if (code === 1000 || code === undefined) {
    return 'Disconnected.';
  }
  if (reason === 'could not connect') {
    return 'Could not connect to this room: check its name, or the server is down.';
  }
  return `Disconnected (${reason || `code ${code}`}).`;
}

function errorInWords(error) {
  if (/json|unexpected char|parse/i.test(error)) {
    return 'The server could not read that message.';
  }
  if (/bytes|too large|too long/i.test(error)) {
    return 'That message is too long.';
  }
  if (/rate|too many|too fast/i.test(error)) {
    return 'You are sending messages too fast: wait a moment.';
  }
  return `The server refused that message: ${error}`;
}

function onState(s) {
  clearInterval(countdown);
  const ready = s.state === 'open';
  $('text').disabled = !ready;
  $('send-button').disabled = !ready;
  if (s.state === 'open') {
    showState(`Connected to ${room.name}`, 'open');
  } else if (s.state === 'connecting') {
    showState('Connecting…', 'connecting');
  } else if (s.state === 'reconnecting') {
    let left = Math.ceil(s.delayMs / 1000);
    const tell = () => showState('Connection lost. Reconnecting', 'reconnecting', ` in ${left} s…`);
    tell();
    countdown = setInterval(() => {
      left = Math.max(0, left - 1);
      $('state').lastChild.textContent = ` in ${left} s…`;
    }, 1000);
  } else {
    const words = closedInWords(s.code, s.reason ?? '');
    showState(words, 'closed'); // announced there; the log keeps it, quietly
    if (s.code !== 1000) {
      line('error', words);
    }
  }
}

function showMembers(members) {
  const list = $('members');
  list.replaceChildren(...members.map((m) => {
    const li = document.createElement('li');
    li.append(span('name', nameOf(m)));
    if (m.principal) {
      li.append(' ', span('badge', 'signed in'));
    }
    return li;
  }));
  $('count').textContent = String(members.length);
}

function join(event) {
  event.preventDefault();
  if (room) {
    room.client.close(1000, 'left the room');
  }
  const name = $('name').value.trim();
  remember(name);
  const roomName = $('room').value.trim();
  const query = name ? `?name=${encodeURIComponent(name)}` : '';
  log.replaceChildren();
  showMembers([]);
  $('room-title').textContent = `Room ${roomName}`;
  const client = connect(`/chat/${encodeURIComponent(roomName)}${query}`);
  room = { name: roomName, client };
  client.on('state', (s) => { if (room?.client === client) onState(s); });
  client.on('message', (m) => {
    const text = typeof m.message?.text === 'string' ? m.message.text : JSON.stringify(m.message);
    const from = [span('from', m.frame.from ?? '?')];
    if (m.frame.signedIn) {
      from.push(span('badge', 'signed in'), ' ');
    }
    line('msg', ...from, clock(m.frame.at ?? Date.now()), span('text', text));
  });
  client.on('presence', (p) => {
    showMembers(p.members);
    if (p.joined) line('system', `${nameOf(p.joined)} joined`);
    if (p.left) line('system', `${nameOf(p.left)} left`);
  });
  client.on('reset', (r) => line('system', r.missed === null
    ? 'The room started over while you were away: earlier messages are gone.'
    : `You missed ${r.missed} update${r.missed === 1 ? '' : 's'} (messages, joins and leaves) while you were away.`));
  client.on('error', (e) => line('error', errorInWords(e.error)).setAttribute('role', 'alert'));
  let welcomed = false;
  client.on('frame', (f) => {
    if (f.frame?.type === 'welcome') {
      line('system', welcomed ? `Back in ${roomName}.` : `Welcome to ${roomName}.`);
      welcomed = true;
    }
  });
}

function send(event) {
  event.preventDefault();
  const input = $('text');
  if (input.value.trim() && room?.client.send({ text: input.value })) {
    input.value = '';
  }
  input.focus();
}

// Sign-in: Basic credentials once, to /api/session; Liberty answers with its single sign-on cookie, which the room's
// handshake then carries (a browser's WebSocket cannot send an Authorization header).
async function session(init) {
  try {
    const answer = await fetch('/api/session', { credentials: 'same-origin', ...init });
    return answer.ok && answer.status !== 204 ? await answer.json() : {};
  } catch (e) {
    line('error', 'The server could not be reached to sign in or out.');
    return null;
  }
}

function showWho(body) {
  const signedIn = typeof body?.user === 'string';
  $('who').textContent = signedIn ? `(signed in as ${body.user}${body.member ? ', member' : ''})`
    : '(needed for rooms named private-…)';
  $('signout-button').hidden = !signedIn;
  return signedIn;
}

// UTF-8, then base64: btoa alone takes Latin-1 only.
const base64 = (text) => btoa(String.fromCharCode(...new TextEncoder().encode(text)));

async function signIn(event) {
  event.preventDefault();
  const credentials = base64(`${$('user').value}:${$('password').value}`);
  $('password').value = '';
  const body = await session({ headers: { Authorization: `Basic ${credentials}` } });
  if (body && !showWho(body)) {
    line('error', 'Sign-in failed: the name or the password is wrong.');
  }
}

async function signOut() {
  await session({ method: 'DELETE' });
  showWho(await session());
}

function remember(name) {
  try {
    localStorage.setItem('switchboard.name', name);
  } catch (e) {
    // storage refused (a private window): the name is not remembered, nothing else changes
  }
}

function remembered() {
  try {
    return localStorage.getItem('switchboard.name') ?? '';
  } catch (e) {
    return '';
  }
}

$('name').value = remembered();
$('join').addEventListener('submit', join);
$('send').addEventListener('submit', send);
$('signin-form').addEventListener('submit', signIn);
$('signout-button').addEventListener('click', signOut);
session().then((body) => showWho(body));
