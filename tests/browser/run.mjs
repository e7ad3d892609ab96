#!/usr/bin/env node
// The browser peer runner: serves tests/browser/page from http://127.0.0.1:<port>, launches
// Debian's Chromium (playwright-core) or Firefox ESR (puppeteer-core, WebDriver BiDi) on it,
// and bridges the page's signaling to tacet-peer's aiortc-compatible TCP JSON lines
// (`{"sdp": ..., "type": "offer"|"answer"}`, candidates, `{"type": "bye"}`): it listens when
// the browser makes the first offer, and connects when tacet-peer does. It prints tacet-peer's
// `--json` event vocabulary (crates/rtc/src/bin/tacet-peer/output.rs), one object per line,
// so one judge reads both sides. `--help` tells the flags.

import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { chromiumArgs } from './chromium.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const HELP = `\
run.mjs: a browser as a WebRTC peer of tacet-peer

USAGE:
    node tests/browser/run.mjs chromium|firefox offer|answer [OPTIONS]

    offer                 the browser makes the first offer; the runner listens on the
                          signaling port (start tacet-peer answer --signaling tcp-socket)
    answer                the browser answers; the runner connects to tacet-peer offer

OPTIONS (as tacet-peer's):
    --signaling-host HOST     default 127.0.0.1
    --signaling-port PORT     default 1234
    --send KINDS              audio, video or audio,video (the browser's fake devices)
    --datachannel LABEL       create (offer) or accept (answer) channel LABEL and send
                              "<origin> <n>" every 20 ms, then "<origin> end <count>"
    --chat-interval MS        the pace of the numbered messages (default 20, issue 14's)
    --origin WORD             the origin word of the numbered messages (default: the browser)
    --script SCRIPT           steps timed from the first connected state, separated by ';':
                              <time> stop audio|video|tag|non-tag, <time> stop-media,
                              <time> add audio|video, <time> close
    --polite | --impolite     the page's perfect-negotiation role (default: polite when the
                              browser answers... and when it offers, impolite; see below)
    --bundle-policy POLICY    balanced (default), max-bundle or max-compat
    --trickle-early           send candidates as they are gathered, even ahead of the
                              description they belong to (by default they wait for it)
    --gather-first            send a description once ICE gathering is complete (2 s at
                              most), candidates in it; by default it goes at once, as
                              browser applications do, and later candidates trickle
    --timeout SECONDS         give up after this long (default 120); exit 1
    --headed                  show the browser window

    Default politeness: tacet-peer's offer side is impolite and its answer side polite, so the
    browser is polite when it answers and impolite when it offers.

EXIT STATUS: 0 closed cleanly; 1 an error; 2 a bad command line; 3 closed, an action failed.
`;

// ---- The command line.
function parseArgs(argv) {
  const a = {
    host: '127.0.0.1', port: 1234, send: [], datachannel: null, origin: null, script: [],
    polite: null, bundlePolicy: 'balanced', timeout: 120, headed: false, trickleEarly: false,
    gatherFirst: false, chatInterval: 20,
  };
  const usage = (m) => { process.stderr.write(`run.mjs: ${m} (--help lists the flags)\n`); process.exit(2); };
  for (let i = 0; i < argv.length; i += 1) {
    let [flag, inline] = argv[i].startsWith('--') && argv[i].includes('=')
      ? [argv[i].slice(0, argv[i].indexOf('=')), argv[i].slice(argv[i].indexOf('=') + 1)]
      : [argv[i], undefined];
    const value = () => inline ?? argv[++i] ?? usage(`${flag} needs a value`);
    switch (flag) {
      case '-h': case '--help': process.stdout.write(HELP); process.exit(0);
      case 'chromium': case 'firefox': a.browser = flag; break;
      case 'offer': case 'answer': a.role = flag; break;
      case '--signaling-host': a.host = value(); break;
      case '--signaling-port': a.port = Number(value()); break;
      case '--send': a.send = value().split(',').map((k) => k.trim()).filter(Boolean); break;
      case '--datachannel': a.datachannel = value(); break;
      case '--origin': a.origin = value(); break;
      case '--chat-interval': a.chatInterval = Number(value()); break;
      case '--script': a.script = parseScript(value(), usage); break;
      case '--polite': a.polite = true; break;
      case '--impolite': a.polite = false; break;
      case '--bundle-policy': a.bundlePolicy = value(); break;
      case '--timeout': a.timeout = Number(value()); break;
      case '--headed': a.headed = true; break;
      case '--trickle-early': a.trickleEarly = true; break;
      case '--gather-first': a.gatherFirst = true; break;
      default: usage(`unexpected argument "${argv[i]}"`);
    }
  }
  if (!a.browser) usage('no browser: give chromium or firefox');
  if (!a.role) usage('no role: give offer or answer');
  if (!(a.port > 0 && a.port < 65536)) usage('--signaling-port is not a port');
  for (const k of a.send) if (k !== 'audio' && k !== 'video') usage(`--send: unknown kind "${k}"`);
  if (!(Number.isInteger(a.chatInterval) && a.chatInterval > 0)) usage('--chat-interval is not a number of milliseconds');
  a.origin ??= a.browser;
  a.polite ??= a.role === 'answer';
  return a;
}

/** tacet-peer's script grammar (script.rs), plus `stop tag` and `stop non-tag`. */
function parseScript(text, usage) {
  const steps = [];
  for (const segment of text.split(';')) {
    const words = segment.trim().split(/\s+/).filter(Boolean);
    if (!words.length) continue;
    const m = /^([0-9]+(?:\.[0-9]{1,3})?)(s|ms)$/.exec(words[0]);
    if (!m) usage(`--script: bad time "${words[0]}" (write 2s, 1.5s or 500ms)`);
    const at = Number(m[1]) / (m[2] === 'ms' ? 1000 : 1);
    const action = words.slice(1).join(' ');
    const known = /^(stop (audio|video|tag|non-tag)|stop-media|add (audio|video)|close)$/;
    if (!known.test(action)) usage(`--script: unknown action "${action}"`);
    if (steps.length && (steps.at(-1).action === 'close' || at < steps.at(-1).at)) {
      usage(`--script: "${segment.trim()}" is out of order`);
    }
    steps.push({ at, action });
  }
  return steps;
}

const args = parseArgs(process.argv.slice(2));
const start = performance.now();

// ---- Output: tacet-peer's --json lines.
function event(name, fields = {}) {
  const t = Math.round(performance.now() - start) / 1000;
  process.stdout.write(`${JSON.stringify({ t, role: args.role, event: name, browser: args.browser, ...fields })}\n`);
}
const warn = (m) => process.stderr.write(`run.mjs: ${m}\n`);

// ---- Signaling: aiortc's TcpSocketSignaling lines.
const toPage = [];
let pageWaiters = [];
function toPagePush(msg) {
  toPage.push(msg);
  const waiters = pageWaiters;
  pageWaiters = [];
  for (const w of waiters) w();
}
let socket = null;
let saidBye = false;

function attach(s) {
  socket = s;
  s.setNoDelay(true);
  event('signaling', { state: 'connected', address: `${args.host}:${args.port}` });
  let buffer = '';
  let peerBye = false;
  s.on('data', (chunk) => {
    buffer += chunk.toString('utf8');
    let nl;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl).trim();
      buffer = buffer.slice(nl + 1);
      if (!line) continue;
      let msg;
      try {
        msg = JSON.parse(line);
      } catch (e) {
        warn(`skipped a signaling line that is not JSON: ${line.slice(0, 80)}`);
        continue;
      }
      if (msg.type === 'offer' || msg.type === 'answer') {
        event('sdp', { direction: 'received', type: msg.type, sdp: msg.sdp });
      } else if (msg.type === 'candidate') {
        event('candidate', { direction: 'received', mid: msg.id ?? null, candidate: msg.candidate });
      } else if (msg.type === 'bye') {
        peerBye = true;
        event('bye', { direction: 'received' });
      }
      toPagePush(msg);
    }
  });
  s.on('close', () => {
    if (!peerBye && !saidBye) {
      toPagePush({ type: 'gone', reason: 'signaling: the peer closed the connection without a bye' });
    }
  });
  s.on('error', (e) => warn(`signaling: ${e.message}`));
}

function sendLine(obj) {
  if (!socket || socket.destroyed) {
    warn(`signaling: not connected, dropped a ${obj.type}`);
    return;
  }
  socket.write(`${JSON.stringify(obj)}\n`);
}

function fromPageSignal(msg) {
  if (msg.type === 'offer' || msg.type === 'answer') {
    event('sdp', { direction: 'sent', type: msg.type, sdp: msg.sdp });
    // Keys sorted, as aiortc's json.dumps(sort_keys=True).
    sendLine({ sdp: msg.sdp, type: msg.type });
  } else if (msg.type === 'candidate') {
    const value = msg.candidate.replace(/^candidate:/, '');
    event('candidate', { direction: 'sent', mid: msg.id, candidate: value });
    sendLine({ candidate: `candidate:${value}`, id: msg.id, label: msg.label, type: 'candidate' });
  } else if (msg.type === 'refused') {
    sendLine({ reason: msg.reason, type: 'refused' });
  }
}

async function connectSignaling() {
  if (args.role === 'offer') {
    const server = net.createServer();
    await new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(args.port, args.host, resolve);
    });
    event('signaling', { state: 'listening', address: `${args.host}:${args.port}` });
    const s = await new Promise((resolve) => server.once('connection', resolve));
    server.close();
    attach(s);
  } else {
    const deadline = performance.now() + 30000;
    for (;;) {
      try {
        const s = await new Promise((resolve, reject) => {
          const c = net.connect(args.port, args.host, () => resolve(c));
          c.once('error', reject);
        });
        attach(s);
        return;
      } catch (e) {
        if (performance.now() > deadline) throw new Error(`signaling: cannot reach ${args.host}:${args.port}: ${e.message}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }
}

// ---- The page's server on 127.0.0.1 (a secure context: getUserMedia works there).
let finish;
const finished = new Promise((r) => { finish = r; });
let failedActions = 0;

function serve() {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    if (req.method === 'GET' && (url.pathname === '/' || url.pathname === '/index.html')) {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><meta charset="utf-8"><title>tacet browser peer</title><script type="module" src="/peer.js"></script>');
      return;
    }
    if (req.method === 'GET' && (url.pathname === '/peer.js' || url.pathname === '/chat.js')) {
      res.writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'no-store' });
      res.end(fs.readFileSync(path.join(HERE, 'page', url.pathname.slice(1))));
      return;
    }
    if (req.method === 'GET' && url.pathname === '/in') {
      const from = Number(url.searchParams.get('from') || 0);
      const answer = () => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(toPage.slice(from)));
      };
      if (toPage.length > from) answer();
      else {
        const timer = setTimeout(() => { pageWaiters = pageWaiters.filter((w) => w !== wake); answer(); }, 20000);
        const wake = () => { clearTimeout(timer); answer(); };
        pageWaiters.push(wake);
      }
      return;
    }
    if (req.method === 'POST' && url.pathname === '/out') {
      let body = '';
      req.on('data', (c) => { body += c; });
      req.on('end', () => {
        res.writeHead(204);
        res.end();
        for (const m of JSON.parse(body)) {
          if (m.kind === 'event') event(m.event, m.fields);
          else if (m.kind === 'signal') fromPageSignal(m.msg);
          else if (m.kind === 'log') warn(`page: ${m.text}`);
          else if (m.kind === 'bye') {
            saidBye = true;
            sendLine({ type: 'bye' });
            event('bye', { direction: 'sent' });
          } else if (m.kind === 'done') {
            failedActions = m.failed_actions;
            finish(m.fatal ? { fatal: m.fatal } : { ok: true });
          }
        }
      });
      return;
    }
    // favicon.ico and anything else.
    res.writeHead(404);
    res.end();
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

// ---- The browsers, as interop-findings §2 (Chromium) and §7 (Firefox) say.
async function launch(url) {
  if (args.browser === 'chromium') {
    const { chromium } = await import('playwright-core');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tacet-chromium-'));
    const context = await chromium.launchPersistentContext(dir, {
      executablePath: '/usr/bin/chromium',
      headless: !args.headed,
      args: chromiumArgs(),
    });
    const page = context.pages()[0] ?? await context.newPage();
    page.on('console', (m) => warn(`console: ${m.text()}`));
    page.on('pageerror', (e) => warn(`page error: ${e.message}`));
    await page.goto(url);
    const version = context.browser()?.version() ?? 'unknown';
    return { version, close: async () => { await context.close(); fs.rmSync(dir, { recursive: true, force: true }); } };
  }
  const puppeteer = (await import('puppeteer-core')).default;
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: '/usr/bin/firefox-esr',
    headless: !args.headed,
    extraPrefsFirefox: {
      'media.navigator.streams.fake': true,
      'media.navigator.permission.disabled': true,
      'media.peerconnection.ice.obfuscate_host_addresses': false,
      // Loopback ICE needs these two (interop-findings §7).
      'media.peerconnection.ice.loopback': true,
      'permissions.default.camera': 1,
      'permissions.default.microphone': 1,
    },
  });
  const page = (await browser.pages())[0] ?? await browser.newPage();
  page.on('console', (m) => warn(`console: ${m.text()}`));
  page.on('pageerror', (e) => warn(`page error: ${e.message}`));
  await page.goto(url);
  return { version: await browser.version(), close: () => browser.close() };
}

async function main() {
  event('started', { send: args.send, datachannel: args.datachannel, polite: args.polite, steps: args.script.length });
  await connectSignaling();
  const server = await serve();
  const cfg = {
    browser: args.browser, role: args.role, polite: args.polite, send: args.send,
    datachannel: args.datachannel, origin: args.origin, script: args.script,
    bundlePolicy: args.bundlePolicy, trickleEarly: args.trickleEarly, gatherFirst: args.gatherFirst,
    chatInterval: args.chatInterval,
  };
  const url = `http://127.0.0.1:${server.address().port}/?cfg=${encodeURIComponent(JSON.stringify(cfg))}`;
  const timeout = setTimeout(() => finish({ fatal: `no clean close within ${args.timeout} s` }), args.timeout * 1000);
  const browser = await launch(url);
  event('browser', { version: browser.version });
  const outcome = await finished;
  clearTimeout(timeout);
  await browser.close().catch((e) => warn(`closing the browser: ${e.message}`));
  server.close();
  socket?.destroy();
  if (outcome.fatal) {
    warn(outcome.fatal);
    process.exit(1);
  }
  if (failedActions) warn(`closed cleanly, but ${failedActions} scripted action(s) failed`);
  process.exit(failedActions ? 3 : 0);
}

main().catch((e) => {
  warn(e.stack || String(e));
  process.exit(1);
});
