// Switchboard's browser client: one ES module, no build step, no dependencies. Served by every application that has
// the Switchboard jar, at /switchboard/switchboard.js (README, "The browser client").
//
//   import { connect } from '/switchboard/switchboard.js';
//   const room = connect('/chat/lobby?name=Ada');
//   room.on('message', (m) => show(m.message));
//   room.on('state', (s) => status(s.state));
//   room.send({ text: 'hello' });
//
// It reconnects by itself with capped exponential backoff and jitter, and resumes from the last offset and epoch it
// saw (?since=&epoch=), so a reconnect loses nothing and shows nothing twice; when the server no longer has what it
// missed, a 'reset' event says so.

/**
 * @typedef {'connecting' | 'open' | 'reconnecting' | 'closed'} State
 *
 * @typedef {object} Position where the client stands in its group's stream
 * @property {string} epoch
 * @property {number} offset
 *
 * @typedef {object} Member one member of the group, as the server's presence frames describe it
 * @property {string} id
 * @property {string} [server]
 * @property {string} [principal]
 * @property {string} [joinedAt]
 * @property {Object<string, string>} [attributes]
 *
 * @typedef {object} Backoff how long to wait before reconnect attempt n (0, 1, ...): a random delay between half and
 *     all of min(maxMs, initialMs * factor^n)
 * @property {number} [initialMs] default 500
 * @property {number} [maxMs] default 30000
 * @property {number} [factor] default 2
 *
 * @typedef {object} Options
 * @property {Backoff} [backoff]
 * @property {number} [stableMs] a connection open this long starts the backoff over (default 5000); one that closes
 *     sooner (the server accepts, then refuses) keeps it growing
 * @property {number} [firstAttempts] connects tried before the first success, then the client gives up (default 3): a
 *     refused handshake (HTTP 400, 401, 403) looks to a browser like a server that is down, and a page that never got
 *     in says so instead of retrying for ever; after one success it retries as long as it takes
 * @property {Position} [resumeFrom] resume from here on the first connect too
 * @property {boolean} [batch] ask for joined frames, several messages per frame (default true); the client splits
 *     them, so listeners see one message at a time either way
 * @property {typeof WebSocket} [WebSocket] the WebSocket class (tests give a fake one)
 * @property {() => number} [random] for the jitter (tests give a fixed one)
 * @property {(fn: () => void, ms: number) => any} [setTimeout]
 * @property {(handle: any) => void} [clearTimeout]
 * @property {() => number} [now] milliseconds, for {@link Options.stableMs} (tests give their own clock)
 *
 * @typedef {object} StateEvent
 * @property {State} state
 * @property {number} [code] the close code that ended the last connection
 * @property {string} [reason] its reason
 * @property {number} [delayMs] when reconnecting: in how long
 * @property {number} [attempt] when reconnecting: which attempt (1, 2, ...)
 *
 * @typedef {object} MessageEvent
 * @property {any} message what was sent to the group (the frame's "message")
 * @property {object} frame the whole frame
 * @property {number} [offset]
 * @property {string} [epoch]
 *
 * @typedef {object} PresenceEvent
 * @property {Member[]} members everyone now, in the order they joined
 * @property {Member} [joined] who just joined
 * @property {Member} [left] who just left
 *
 * @typedef {object} ResetEvent the server no longer had everything after the client's position
 * @property {Position | null} from where the client was
 * @property {Position} to where the stream goes on from (the next message has offset to.offset + 1)
 * @property {boolean} epochChanged the group started over: what was missed is unknown
 * @property {number | null} missed how many messages were missed, if known
 *
 * @typedef {object} ErrorEvent an error frame from the server: the connection stays open
 * @property {string} error the server's words
 * @property {object} frame
 */

/**
 * Close codes after which a reconnect may succeed: going away, no status (a proxy), abnormal, server error, restart,
 * try again later, bad gateway.
 */
/**
 * The subprotocol of joined frames: while the server has more than one message waiting for this client, it sends them
 * in one WebSocket frame, one JSON message per line. Fewer frames cost the server fewer system calls.
 */
export const BATCH_SUBPROTOCOL = 'switchboard.batch';

export const RETRY_CODES = Object.freeze([1001, 1005, 1006, 1011, 1012, 1013, 1014]);

/**
 * @param {number} code a WebSocket close code
 * @returns {boolean} true if reconnecting may help; false for a normal close, 1008 (policy: not allowed), 4xxx (the
 *     application said no) and anything else
 */
export function shouldRetry(code) {
  return RETRY_CODES.includes(code);
}

/**
 * @param {number} attempt 0 for the first reconnect
 * @param {Backoff} [backoff]
 * @param {() => number} [random]
 * @returns {number} milliseconds to wait: between half and all of the capped exponential delay, so that clients
 *     dropped together do not come back together
 */
export function backoffDelay(attempt, backoff = {}, random = Math.random) {
  const { initialMs = 500, maxMs = 30000, factor = 2 } = backoff;
  const ceiling = Math.min(maxMs, initialMs * Math.pow(factor, attempt));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/**
 * @param {string} url
 * @param {Position | null} position
 * @returns {string} the URL with since and epoch set to the position (other parameters kept)
 */
export function resumeUrl(url, position) {
  if (!position) {
    return url;
  }
  const hash = url.indexOf('#');
  const base = hash < 0 ? url : url.slice(0, hash);
  const q = base.indexOf('?');
  const path = q < 0 ? base : base.slice(0, q);
  const params = new URLSearchParams(q < 0 ? '' : base.slice(q + 1));
  params.set('since', String(position.offset));
  params.set('epoch', position.epoch);
  return `${path}?${params}`;
}

/** A path like /chat/lobby becomes ws(s)://<this page's host>/chat/lobby. */
function absolute(url) {
  if (/^wss?:\/\//.test(url) || typeof location === 'undefined') {
    return url;
  }
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}${url.startsWith('/') ? '' : '/'}${url}`;
}

/** One connection to a Switchboard endpoint, kept open across drops. */
export class Switchboard {
  #url;
  #options;
  #WebSocket;
  #socket = null;
  #timer = null;
  #attempt = 0;
  /** @type {State} */
  #state = 'connecting';
  /** @type {Position | null} */
  #position;
  /** @type {Map<string, Member>} */
  #members = new Map();
  #listed = false; // a member list came on this connection: joined/left frames apply from now on
  #listeners = new Map();
  #closedByUs = false;
  #everOpened = false;
  #openedAt = -1; // when the current connection opened; -1 while it has not

  /**
   * Connects at once.
   *
   * @param {string} url ws:// or wss:// URL, or a path on this page's host
   * @param {Options} [options]
   */
  constructor(url, options = {}) {
    this.#url = absolute(url);
    this.#options = options;
    this.#WebSocket = options.WebSocket ?? globalThis.WebSocket;
    this.#position = options.resumeFrom ?? null;
    this.#open();
    queueMicrotask(() => { // after the caller has had a chance to listen
      if (this.#state === 'connecting') {
        this.#emit('state', { state: 'connecting' });
      }
    });
  }

  /** @returns {State} */
  get state() {
    return this.#state;
  }

  /** @returns {Position | null} the last position seen: where a reconnect resumes from */
  get position() {
    return this.#position ? { ...this.#position } : null;
  }

  /** @returns {Member[]} the members now, in the order they joined */
  get members() {
    return [...this.#members.values()];
  }

  /**
   * @param {'state' | 'message' | 'presence' | 'reset' | 'error' | 'frame'} type what to listen to ('frame': any
   *     other frame, for the application's own types)
   * @param {(event: any) => void} listener
   * @returns {() => void} removes the listener
   */
  on(type, listener) {
    if (!this.#listeners.has(type)) {
      this.#listeners.set(type, new Set());
    }
    this.#listeners.get(type).add(listener);
    return () => this.#listeners.get(type).delete(listener);
  }

  /**
   * Sends a JSON value (or a string as it is).
   *
   * @param {any} data
   * @returns {boolean} false if the connection is not open: nothing was sent (nothing is queued while reconnecting)
   */
  send(data) {
    if (this.#state !== 'open' || this.#socket?.readyState !== 1) { // 1: OPEN (a closing socket drops what it gets)
      return false;
    }
    this.#socket.send(typeof data === 'string' ? data : JSON.stringify(data));
    return true;
  }

  /** Closes for good: no reconnect. Closing twice is closing once. */
  close(code = 1000, reason = 'closed by the page') {
    if (this.#closedByUs) {
      return;
    }
    this.#closedByUs = true;
    if (this.#timer !== null) {
      (this.#options.clearTimeout ?? clearTimeout)(this.#timer);
      this.#timer = null;
    }
    if (this.#socket) {
      this.#socket.close(code, reason);
    }
    this.#setState({ state: 'closed', code, reason });
  }

  #emit(type, event) {
    for (const listener of this.#listeners.get(type) ?? []) {
      try {
        listener(event);
      } catch (e) {
        console.error(`switchboard: a '${type}' listener threw`, e); // one listener does not stop the others
      }
    }
  }

  #setState(event) {
    this.#state = event.state;
    this.#emit('state', event);
  }

  #open() {
    this.#listed = false;
    const url = resumeUrl(this.#url, this.#position);
    const socket = this.#options.batch === false ? new this.#WebSocket(url)
      : new this.#WebSocket(url, BATCH_SUBPROTOCOL);
    this.#socket = socket;
    socket.onopen = () => {
      if (socket !== this.#socket || this.#closedByUs) {
        return;
      }
      this.#everOpened = true;
      this.#openedAt = this.#now();
      this.#setState({ state: 'open' });
    };
    socket.onmessage = (e) => {
      if (socket.protocol !== BATCH_SUBPROTOCOL || typeof e.data !== 'string') {
        this.#frame(e.data);
        return;
      }
      for (const line of e.data.split('\n')) { // compact JSON has no line feed of its own
        if (socket !== this.#socket || this.#closedByUs) {
          return; // a listener closed or replaced this connection: the rest of its frame is not for the new one
        }
        this.#frame(line);
      }
    };
    socket.onclose = (e) => this.#closed(socket, e.code, e.reason);
  }

  #closed(socket, code, reason) {
    if (socket !== this.#socket || this.#closedByUs) {
      return;
    }
    this.#socket = null;
    if (this.#openedAt >= 0 && this.#now() - this.#openedAt >= (this.#options.stableMs ?? 5000)) {
      this.#attempt = 0; // it was up for a while: start the backoff over
    }
    this.#openedAt = -1;
    if (!shouldRetry(code)) {
      this.#setState({ state: 'closed', code, reason });
      return;
    }
    if (!this.#everOpened && this.#attempt + 1 >= (this.#options.firstAttempts ?? 3)) {
      this.#setState({ state: 'closed', code, reason: reason || 'could not connect' });
      return;
    }
    const delayMs = backoffDelay(this.#attempt, this.#options.backoff, this.#options.random);
    this.#attempt++;
    // The timer first: a listener may close() the client, which must find it to clear it.
    this.#timer = (this.#options.setTimeout ?? setTimeout)(() => {
      this.#timer = null;
      if (!this.#closedByUs) {
        this.#setState({ state: 'connecting' });
        this.#open();
      }
    }, delayMs);
    this.#setState({ state: 'reconnecting', code, reason, delayMs, attempt: this.#attempt });
  }

  #now() {
    return (this.#options.now ?? Date.now)();
  }

  #frame(data) {
    let frame;
    try {
      frame = JSON.parse(data);
    } catch (e) {
      this.#emit('frame', { frame: data });
      return;
    }
    if (frame === null || typeof frame !== 'object') {
      this.#emit('frame', { frame });
      return;
    }
    if (frame.type === 'reset') {
      this.#reset(frame);
      return;
    }
    if (typeof frame.offset === 'number' && typeof frame.epoch === 'string') {
      const at = this.#position;
      if (at && at.epoch === frame.epoch && frame.offset <= at.offset) {
        return; // seen already: a resume overlapping what came before
      }
      this.#position = { epoch: frame.epoch, offset: frame.offset };
    }
    if (frame.type === 'presence') {
      this.#presence(frame);
    } else if (frame.type === 'error') {
      this.#emit('error', { error: String(frame.error ?? 'error'), frame });
    } else if ('message' in frame) {
      this.#emit('message', { message: frame.message, frame, offset: frame.offset, epoch: frame.epoch });
    } else {
      this.#emit('frame', { frame });
    }
  }

  #reset(frame) {
    if (typeof frame.epoch !== 'string' || !Number.isInteger(frame.offset) || frame.offset < 0) {
      this.#emit('frame', { frame }); // not a reset the server sent: the position stays
      return;
    }
    const from = this.#position;
    const to = { epoch: frame.epoch, offset: frame.offset };
    const epochChanged = !from || from.epoch !== to.epoch;
    if (!epochChanged && to.offset <= from.offset) {
      return; // behind what this client has (a server that lags): the replay that follows is dropped as seen
    }
    this.#position = to;
    this.#emit('reset', { from, to, epochChanged, missed: epochChanged ? null : to.offset - from.offset });
  }

  #presence(frame) {
    if (Array.isArray(frame.members)) {
      this.#members = new Map(frame.members.map((m) => [m.id, m]));
      this.#listed = true;
      this.#emit('presence', { members: this.members });
    } else if (frame.joined && this.#listed) {
      this.#members.set(frame.joined.id, frame.joined);
      this.#emit('presence', { members: this.members, joined: frame.joined });
    } else if (frame.left && this.#listed) {
      // A left member is announced even if this client never listed it (a join it did not see).
      this.#members.delete(frame.left.id);
      this.#emit('presence', { members: this.members, left: frame.left });
    }
    // Before this connection's member list: replayed history; the list that follows is what counts.
  }
}

/**
 * Connects to a Switchboard endpoint.
 *
 * @param {string} url ws:// or wss:// URL, or a path on this page's host
 * @param {Options} [options]
 * @returns {Switchboard}
 */
export function connect(url, options) {
  return new Switchboard(url, options);
}
