// The live connection (GET /api/v1/events over WebSocket): the inbox count
// 收件箱(N), the account's status and its mobile binding change without a
// reload. The server
// sends the current state on every connect, so a reconnect after a drop
// loses nothing; reconnects back off from 1 s up to 30 s.

const MIN_DELAY_MS = 1000;
const MAX_DELAY_MS = 30000;

/**
 * Keeps one connection open while started. `handlers.inbox(unread)` and
 * `handlers.account(status, frame)` get the frames (an account frame also
 * carries the masked `mobile` and `mobile_bound`); `handlers.state(text)` hears
 * 'open' / 'closed' for the page's status line.
 */
export function createLive(handlers) {
  let socket = null;
  let wanted = false;
  let delay = MIN_DELAY_MS;
  let timer = null;

  function url() {
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    return `${scheme}//${location.host}/api/v1/events`;
  }

  function onMessage(event) {
    let frame;
    try {
      frame = JSON.parse(event.data);
    } catch {
      return;
    }
    if (frame.type === 'inbox' && Number.isFinite(frame.unread)) handlers.inbox(frame.unread);
    else if (frame.type === 'account' && frame.status) handlers.account(frame.status, frame);
  }

  function schedule() {
    if (!wanted || timer) return;
    // Jitter keeps many pages from reconnecting in the same instant.
    const wait = delay / 2 + Math.random() * (delay / 2);
    timer = setTimeout(() => {
      timer = null;
      connect();
    }, wait);
    delay = Math.min(MAX_DELAY_MS, delay * 2);
  }

  function connect() {
    if (!wanted || socket) return;
    let ws;
    try {
      ws = new WebSocket(url());
    } catch {
      schedule();
      return;
    }
    socket = ws;
    ws.addEventListener('open', () => {
      delay = MIN_DELAY_MS;
      handlers.state && handlers.state('open');
    });
    ws.addEventListener('message', onMessage);
    ws.addEventListener('close', () => {
      if (socket === ws) socket = null;
      handlers.state && handlers.state('closed');
      schedule();
    });
    ws.addEventListener('error', () => {
      // 'close' follows and schedules the retry.
    });
  }

  return {
    start() {
      if (wanted) return;
      wanted = true;
      delay = MIN_DELAY_MS;
      connect();
    },
    stop() {
      wanted = false;
      clearTimeout(timer);
      timer = null;
      if (socket) {
        const ws = socket;
        socket = null;
        ws.close();
      }
    },
    /** Whether a connection is open now (for tests and the status line). */
    get connected() {
      return Boolean(socket && socket.readyState === WebSocket.OPEN);
    },
  };
}
