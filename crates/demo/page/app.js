// The page: the browser is tacet's peer. It connects data-only (its `signal` and `chat`
// channels, the first offer/answer over HTTP), then adds its camera and microphone by
// renegotiating over the `signal` channel itself; tacet echoes the media back. Either side may
// start a change afterwards (these buttons, tacet's terminal commands): perfect negotiation
// (webrtc-pc §10.7), this page the impolite peer, tacet the polite one. Messages on `signal`
// are aiortc's JSON (tacet-rtc's encode_line/decode_line).
//
// Why data-only first (docs/demo.md, "The page"): the data section is then mid 0, the BUNDLE tag, and
// no media stop ever moves the tag — stopping the tag m-line makes Chromium replace its
// transport and SCTP association, which would cut the very channel this renegotiation crosses.
//
// `window.demo` holds what the page shows, for a test to read (tests/browser/demo.mjs).

const $ = (id) => document.getElementById(id);
/** How long the first description waits for ICE gathering before it goes. */
const GATHER_WAIT_MS = 2000;
/** The pace of the numbered chat messages. */
const NUMBERED_EVERY_MS = 50;

const demo = {
  state: 'connecting',
  events: [],
  errors: [],
  chat: { sent: 0, echoed: 0, next: 0, lost: 0, outOfOrder: 0, duplicates: 0, fromTacet: [], echoes: [] },
  descriptions: [], // { type, from: 'page' | 'tacet', tag, sdp }
  video: new Map(), // transceiver -> { mid, framesDecoded, live }
  framesDecoded: 0,
  framesPainted: 0,
  transceivers: [],
  negotiations: 0,
  keyframesRelayed: 0, // keyframe requests of the echo relayed to this page's encoder
  collisions: 0, // tacet's offers this page ignored because its own was out (glare)
};
window.demo = demo;

// ---- Events on the page (and in window.demo).
function event(text, cls = '') {
  const line = `${new Date().toISOString().slice(11, 23)} ${text}`;
  demo.events.push(line);
  if (cls === 'error') demo.errors.push(text);
  const div = document.createElement('div');
  div.textContent = line;
  if (cls) div.className = cls;
  $('events').append(div);
  $('events').scrollTop = $('events').scrollHeight;
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---- The connection and its two channels (in-band: this page creates both before the first
// offer, so they are in it and open with the connection).
const pc = new RTCPeerConnection();
const signal = pc.createDataChannel('signal');
const chat = pc.createDataChannel('chat');
let closed = false;
let stream = null; // the camera and microphone

function send(msg) {
  if (signal.readyState !== 'open') {
    event(`cannot send ${msg.type}: the signal channel is ${signal.readyState}`, 'error');
    return;
  }
  signal.send(JSON.stringify(msg));
}

// ---- Descriptions: recorded for the SDP diff and the BUNDLE-tag check.
function bundleTag(sdp) {
  const m = sdp.match(/a=group:BUNDLE ([^\r\n]*)/);
  return m ? m[1].trim().split(' ')[0] : null;
}
function record(description, from) {
  const { type, sdp } = description;
  if (type !== 'offer' && type !== 'answer') return;
  demo.descriptions.push({ type, from, tag: bundleTag(sdp), sdp });
  renderSdp();
}

// ---- Perfect negotiation, the impolite side.
let makingOffer = false;
let ignoreOffer = false;
let isSettingRemoteAnswerPending = false;

pc.onnegotiationneeded = async () => {
  // The first offer is start()'s, over HTTP; later ones cross the signal channel.
  if (signal.readyState !== 'open' || closed) return;
  try {
    makingOffer = true;
    await pc.setLocalDescription();
    record(pc.localDescription, 'page');
    send({ type: pc.localDescription.type, sdp: pc.localDescription.sdp });
  } catch (e) {
    event(`offer failed: ${e}`, 'error');
  } finally {
    makingOffer = false;
  }
};

pc.onicecandidate = ({ candidate }) => {
  // Candidates of the first offer are in it (it waits for gathering); later ones trickle.
  if (candidate && candidate.candidate && signal.readyState === 'open') {
    send({ type: 'candidate', candidate: candidate.candidate, id: candidate.sdpMid, label: candidate.sdpMLineIndex });
  }
};

async function onSignal(msg) {
  if (msg.type === 'offer' || msg.type === 'answer') {
    const readyForOffer = !makingOffer && (pc.signalingState === 'stable' || isSettingRemoteAnswerPending);
    const collision = msg.type === 'offer' && !readyForOffer;
    ignoreOffer = collision; // impolite: our offer wins, tacet rolls its own back
    if (ignoreOffer) {
      demo.collisions += 1;
      event('tacet\'s offer collided with ours: ignored (this page is impolite)');
      return;
    }
    isSettingRemoteAnswerPending = msg.type === 'answer';
    try {
      await pc.setRemoteDescription({ type: msg.type, sdp: msg.sdp });
    } catch (e) {
      isSettingRemoteAnswerPending = false;
      event(`tacet's ${msg.type} refused: ${e}`, 'error');
      send({ type: 'refused', reason: `the page refused tacet's ${msg.type}: ${e}` });
      return;
    }
    isSettingRemoteAnswerPending = false;
    record({ type: msg.type, sdp: msg.sdp }, 'tacet');
    if (msg.type === 'offer') {
      await sendOnTacetsVideo();
      await pc.setLocalDescription();
      record(pc.localDescription, 'page');
      send({ type: 'answer', sdp: pc.localDescription.sdp });
    }
  } else if (msg.type === 'candidate') {
    try {
      await pc.addIceCandidate({ candidate: msg.candidate, sdpMid: msg.id, sdpMLineIndex: msg.label });
    } catch (e) {
      if (!ignoreOffer) event(`tacet's candidate refused: ${e}`, 'error');
    }
  } else if (msg.type === 'refused') {
    event(`tacet refused: ${msg.reason}`, 'error');
  } else if (msg.type === 'bye') {
    event('tacet said goodbye');
    close(false);
  }
}
// One message at a time, in order.
let signalQueue = Promise.resolve();
signal.onmessage = ({ data }) => {
  let msg;
  try {
    msg = JSON.parse(data);
  } catch (e) {
    event(`tacet sent a signal that is not JSON: ${e}`, 'error');
    return;
  }
  signalQueue = signalQueue.then(() => onSignal(msg)).catch((e) => event(`signal: ${e}`, 'error'));
};

/** tacet offered a video m-line (its `add video`): answer it with the camera. */
async function sendOnTacetsVideo() {
  for (const t of pc.getTransceivers()) {
    if (t.receiver.track.kind === 'video' && t.direction === 'recvonly' && !t.sender.track && t.currentDirection === null) {
      const s = await navigator.mediaDevices.getUserMedia({ video: true });
      await t.sender.replaceTrack(s.getVideoTracks()[0]);
      t.direction = 'sendrecv';
      $('local').srcObject = s;
      event(`tacet offered video (mid ${t.mid}): answering with the camera`);
    }
  }
}

// ---- The first connection: data-only, over HTTP.
async function start() {
  await pc.setLocalDescription();
  const deadline = performance.now() + GATHER_WAIT_MS;
  while (pc.iceGatheringState !== 'complete' && performance.now() < deadline) await sleep(20);
  record(pc.localDescription, 'page');
  const response = await fetch('/offer', {
    method: 'POST', body: JSON.stringify({ type: 'offer', sdp: pc.localDescription.sdp }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`tacet refused the first offer (${response.status}): ${text}`);
  const answer = JSON.parse(text);
  await pc.setRemoteDescription(answer);
  record(answer, 'tacet');
  event('connected data-only; the camera and microphone come next, over the data channel');
}

signal.onopen = async () => {
  event('signal channel open');
  update();
  try {
    stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
  } catch (e) {
    event(`no camera or microphone (${e}): staying data-only`, 'error');
    return;
  }
  $('local').srcObject = stream;
  for (const track of stream.getTracks()) pc.addTrack(track, stream);
};
signal.onclose = () => { event('signal channel closed'); update(); };

// ---- Media: the echo.
pc.ontrack = ({ track, transceiver }) => {
  if (transceiver.direction === 'stopped' || transceiver.currentDirection === 'stopped') {
    // Seen from Chromium while its stop of the transceiver is being negotiated.
    event(`a track event for a stopped transceiver (mid ${transceiver.mid}): ignored`);
    return;
  }
  event(`echo track: ${track.kind} (mid ${transceiver.mid})`);
  if (track.kind === 'video') {
    $('echo').srcObject = new MediaStream([track]);
    if (!demo.video.has(transceiver)) demo.video.set(transceiver, { mid: transceiver.mid, framesDecoded: 0, live: true });
  } else {
    $('echo-audio').srcObject = new MediaStream([track]);
  }
  track.onended = () => event(`echo track ended: ${track.kind} (mid ${transceiver.mid})`);
};
$('hear').onchange = () => { $('echo-audio').muted = !$('hear').checked; };
function countPainted() {
  const v = $('echo');
  if (!v.requestVideoFrameCallback) return;
  const tick = () => { demo.framesPainted += 1; v.requestVideoFrameCallback(tick); };
  v.requestVideoFrameCallback(tick);
}
countPainted();

/**
 * The browser's keyframe requests for the echo (RTCP PLI) go to tacet, and tacet-rtc does not
 * hand them to the application, so they cannot be forwarded to this page's encoder. When the
 * echo's decoder lost its footing (a frame dropped under load, then no decodable frame), it
 * would stay frozen until the encoder's next keyframe, which may never come. So this page
 * relays the request itself: when its echo receiver has sent a PLI since the last poll and no
 * frame was decoded, it asks its own sender for a keyframe — `generateKeyFrame()` where the
 * browser has it, else by pausing and resuming the encoding (a resumed encoding starts with a
 * keyframe). At most once a second.
 */
async function relayKeyframeRequest(t, v) {
  const pli = v.inbound ? v.inbound.pliCount || 0 : 0;
  const stalled = v.framesDecoded === v.lastDecoded;
  const asked = pli > (v.lastPli ?? pli);
  v.lastPli = pli;
  v.lastDecoded = v.framesDecoded;
  if (!asked || !stalled || performance.now() - (v.relayedAt ?? 0) < 1000) return;
  v.relayedAt = performance.now();
  demo.keyframesRelayed += 1;
  try {
    if (typeof t.sender.generateKeyFrame === 'function') {
      await t.sender.generateKeyFrame();
    } else {
      const params = t.sender.getParameters();
      if (!params.encodings.length) return;
      params.encodings[0].active = false;
      await t.sender.setParameters(params);
      const again = t.sender.getParameters();
      again.encodings[0].active = true;
      await t.sender.setParameters(again);
    }
    event(`the echo of mid ${v.mid} asked for a keyframe: relayed to the camera's encoder`);
  } catch (e) {
    event(`keyframe relay failed: ${e}`, 'error');
  }
}

/** framesDecoded of every echoed video receiver (a stopped one keeps its last count). */
async function pollVideo() {
  let total = 0;
  for (const [t, v] of demo.video) {
    v.live = pc.getTransceivers().includes(t) && t.currentDirection !== 'stopped' && t.direction !== 'stopped';
    if (v.live) {
      try {
        const stats = await t.receiver.getStats();
        for (const r of stats.values()) {
          if (r.type !== 'inbound-rtp') continue;
          v.framesDecoded = Math.max(v.framesDecoded, r.framesDecoded || 0);
          // What a frozen echo is diagnosed with.
          v.inbound = {
            packetsReceived: r.packetsReceived, packetsLost: r.packetsLost, framesReceived: r.framesReceived,
            keyFramesDecoded: r.keyFramesDecoded, framesDropped: r.framesDropped, pliCount: r.pliCount,
            nackCount: r.nackCount, firCount: r.firCount, freezeCount: r.freezeCount,
          };
        }
        for (const r of (await t.sender.getStats()).values()) {
          if (r.type === 'outbound-rtp') {
            v.outbound = { packetsSent: r.packetsSent, framesEncoded: r.framesEncoded, keyFramesEncoded: r.keyFramesEncoded, pliCount: r.pliCount, nackCount: r.nackCount };
          }
        }
      } catch (e) { /* a receiver stopped meanwhile keeps its count */ }
    }
    if (v.live) await relayKeyframeRequest(t, v);
    total += v.framesDecoded;
  }
  demo.framesDecoded = total;
  const live = [...demo.video.values()].filter((v) => v.live).length;
  $('frames').textContent = `echoed video: ${total} frames decoded, ${demo.framesPainted} painted; ${live} live video receiver(s); ${demo.keyframesRelayed} keyframe request(s) relayed`;
}

// ---- The chat.
function chatLine(text, cls = '') {
  const div = document.createElement('div');
  div.textContent = text;
  if (cls) div.className = cls;
  $('chat-log').append(div);
  while ($('chat-log').childElementCount > 200) $('chat-log').firstChild.remove();
  $('chat-log').scrollTop = $('chat-log').scrollHeight;
}
chat.onopen = () => {
  $('chat-input').disabled = false;
  $('chat-send').disabled = false;
  event('chat channel open');
  update();
};
chat.onclose = () => { event('chat channel closed'); update(); };
chat.onmessage = ({ data }) => {
  const text = String(data);
  const numbered = text.match(/^echo: #([0-9]+)$/);
  if (numbered) {
    const n = Number(numbered[1]);
    const c = demo.chat;
    c.echoed += 1;
    if (n === c.next) c.next += 1;
    else if (n > c.next) { c.lost += n - c.next; c.next = n + 1; } else c.outOfOrder += 1;
    if (n % 20 === 0) chatLine(text);
  } else if (text.startsWith('echo: ')) {
    demo.chat.echoes.push(text.slice(6));
    chatLine(text);
  } else {
    demo.chat.fromTacet.push(text);
    chatLine(text, 'from-tacet');
  }
  renderChatCounts();
};
$('chat-form').onsubmit = (e) => {
  e.preventDefault();
  const text = $('chat-input').value.trim();
  if (!text || chat.readyState !== 'open') return;
  chat.send(text);
  chatLine(`me: ${text}`);
  $('chat-input').value = '';
};
let numberedTimer = null;
$('numbered').onchange = () => {
  clearInterval(numberedTimer);
  numberedTimer = null;
  if (!$('numbered').checked) return;
  numberedTimer = setInterval(() => {
    if (chat.readyState !== 'open') return;
    chat.send(`#${demo.chat.sent}`);
    demo.chat.sent += 1;
    renderChatCounts();
  }, NUMBERED_EVERY_MS);
};
function renderChatCounts() {
  const c = demo.chat;
  $('chat-counts').textContent = `numbered: ${c.sent} sent, ${c.echoed} echoed, ${c.lost} lost, ${c.outOfOrder} out of order`;
}

// ---- The buttons: each is a change this page offers over the signal channel.
const isLive = (t) => t.mid !== null && t.direction !== 'stopped' && t.currentDirection !== 'stopped';
const kindOf = (t) => t.receiver.track.kind;
/** Media flows on it as negotiated (a local stop counts once its negotiation is done). */
const negotiatedLive = (t) => t.currentDirection !== null && !['stopped', 'inactive'].includes(t.currentDirection);
function stop(kinds) {
  const targets = pc.getTransceivers().filter((t) => isLive(t) && kinds.includes(kindOf(t)));
  const chosen = kinds.length === 1 ? targets.slice(0, 1) : targets;
  if (!chosen.length) {
    event(`nothing to stop (${kinds.join(', ')})`, 'error');
    return;
  }
  for (const t of chosen) {
    event(`stopping ${kindOf(t)} (mid ${t.mid})`);
    t.stop();
  }
  update();
}
$('stop-video').onclick = () => stop(['video']);
$('stop-audio').onclick = () => stop(['audio']);
$('stop-media').onclick = () => stop(['audio', 'video']);
$('add-video').onclick = async () => {
  try {
    const s = await navigator.mediaDevices.getUserMedia({ video: true });
    pc.addTrack(s.getVideoTracks()[0], s);
    $('local').srcObject = s;
    event('adding video');
  } catch (e) {
    event(`no camera: ${e}`, 'error');
  }
};
$('close').onclick = () => close(true);

async function close(sayBye) {
  if (closed) return;
  closed = true;
  $('numbered').checked = false;
  $('numbered').onchange();
  if (sayBye) {
    send({ type: 'bye' });
    // The goodbye leaves before the association goes.
    await sleep(300);
  }
  pc.close();
  event('closed');
  update();
}

// ---- What the page shows: the state, the transceiver table, the SDP diff.
const seen = []; // every transceiver ever seen: a stopped one stays in the table, struck out
const mids = new Map(); // transceiver -> the last mid it had
function update() {
  const state = closed || pc.connectionState === 'closed' ? 'closed'
    : pc.connectionState === 'failed' ? 'failed'
      : signal.readyState !== 'open' || chat.readyState !== 'open' ? 'connecting'
        : pc.getTransceivers().some(negotiatedLive) ? 'media + data'
          : 'data-only';
  if (state !== demo.state) event(`state: ${state}`);
  demo.state = state;
  const badge = $('state');
  badge.textContent = state;
  badge.dataset.state = state;
  badge.className = `state ${{ 'media + data': 'media', 'data-only': 'data-only' }[state] || state}`;

  // A transceiver loses its mid once stopped and removed: the table keeps the last one it had.
  // Rows are by mid (a rejected m-line in a remote offer can make Chromium create a stopped
  // transceiver for a mid it already had), the latest transceiver of each mid shown.
  const present = pc.getTransceivers();
  for (const t of present) {
    if (t.mid !== null) mids.set(t, t.mid);
    if (!seen.includes(t)) seen.push(t);
  }
  const byMid = new Map();
  for (const t of seen) if (mids.has(t)) byMid.set(mids.get(t), t);
  demo.transceivers = [...byMid.entries()].map(([mid, t]) => ({
    mid, kind: kindOf(t), direction: t.direction, currentDirection: t.currentDirection,
    stopped: t.currentDirection === 'stopped' || !present.includes(t), removed: !present.includes(t),
  }));
  // Added and not negotiated yet: no mid so far.
  for (const t of present.filter((x) => !mids.has(x) && x.direction !== 'stopped')) {
    demo.transceivers.push({ mid: null, kind: kindOf(t), direction: t.direction, currentDirection: t.currentDirection, stopped: false, removed: false });
  }
  const body = $('transceivers').tBodies[0];
  body.replaceChildren(...demo.transceivers.map((r) => {
    const tr = document.createElement('tr');
    if (r.stopped) tr.className = 'stopped';
    const stopped = r.removed ? 'yes (removed)' : r.stopped ? 'yes' : r.direction === 'stopped' ? 'stopping' : 'no';
    for (const v of [r.mid ?? '-', r.kind, r.direction, r.currentDirection ?? '-', stopped]) {
      const td = document.createElement('td');
      td.textContent = v;
      tr.append(td);
    }
    return tr;
  }));
  const open = !closed && signal.readyState === 'open';
  const live = (kind) => pc.getTransceivers().some((t) => isLive(t) && kindOf(t) === kind);
  $('stop-video').disabled = !open || !live('video');
  $('stop-audio').disabled = !open || !live('audio');
  $('stop-media').disabled = !open || !(live('video') || live('audio'));
  $('add-video').disabled = !open;
  $('close').disabled = closed;
}
pc.onsignalingstatechange = () => {
  if (pc.signalingState === 'stable') demo.negotiations += 1;
  update();
};
pc.onconnectionstatechange = () => { event(`connection: ${pc.connectionState}`); update(); };

/** An SDP's lines that matter here: the BUNDLE group, then per m-line its kind, port, direction. */
function summary(sdp) {
  const lines = [`BUNDLE ${(sdp.match(/a=group:BUNDLE ([^\r\n]*)/) || [, '(none)'])[1].trim()}`];
  for (const section of sdp.split(/\r?\nm=/).slice(1)) {
    const [kind, port] = section.split(' ');
    const mid = (section.match(/\na=mid:([^\r\n]*)/) || [, '?'])[1];
    const dir = (section.match(/\na=(sendrecv|sendonly|recvonly|inactive)/) || [, ''])[1];
    lines.push(`mid ${mid}: m=${kind} port ${port}${dir ? ` ${dir}` : ''}`);
  }
  return lines;
}
function renderSdp() {
  for (const type of ['offer', 'answer']) {
    const all = demo.descriptions.filter((d) => d.type === type);
    const latest = all[all.length - 1];
    const previous = all[all.length - 2];
    const pre = $(`${type}-diff`);
    pre.replaceChildren();
    if (!latest) continue;
    $(`${type}-title`).textContent = `${type} #${all.length} (from ${latest.from})`;
    const now = summary(latest.sdp);
    const before = previous ? summary(previous.sdp) : [];
    const key = (l) => (l.startsWith('BUNDLE') ? 'BUNDLE' : l.split(':')[0]);
    for (const line of now) {
      const old = before.find((b) => key(b) === key(line));
      const span = document.createElement('div');
      span.textContent = old && old !== line ? `${line}    (was: ${old})` : line;
      if (previous) span.className = !old ? 'added' : old !== line ? 'changed' : '';
      pre.append(span);
    }
    for (const old of before.filter((b) => !now.some((l) => key(l) === key(b)))) {
      const span = document.createElement('div');
      span.textContent = old;
      span.className = 'removed';
      pre.append(span);
    }
  }
}

setInterval(() => { update(); pollVideo(); }, 250);
update();
start().catch((e) => {
  event(String(e.message || e), 'error');
  demo.state = 'failed';
  $('state').textContent = 'failed';
  $('state').className = 'state failed';
});
