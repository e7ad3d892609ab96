// The browser peer: an RTCPeerConnection with fake camera and microphone, a data channel
// carrying numbered messages every 20 ms, a script of stops and adds, and perfect
// negotiation (webrtc-pc §10.7, the spec's own example) so the browser answers tacet's
// re-offers at any time. Everything it sees goes to the runner (run.mjs) over HTTP on
// 127.0.0.1, which stamps the time and prints it as tacet-peer's `--json` events; signaling
// messages go the same way and the runner carries them to tacet-peer's TCP socket.

import { Tally, message, end } from './chat.js';

const cfg = JSON.parse(new URLSearchParams(location.search).get('cfg'));
const CHAT_EVERY_MS = cfg.chatInterval || 20;
const REPORT_EVERY_MS = 1000;
/** How long the closer waits for the peer's end of messages (tacet-peer: CLOSER_WAIT). */
const CLOSER_WAIT_MS = 3000;
/** How long the side told `bye` waits for the closer's end (tacet-peer: TOLD_WAIT). */
const TOLD_WAIT_MS = 1500;
/** How long the side told `bye` waits for the closer to close (tacet-peer: DRAIN_WAIT). */
const DRAIN_WAIT_MS = 3000;
/** How long a scripted action may take to be negotiated. */
const ACTION_PATIENCE_MS = 15000;
/** How long a description waits for ICE gathering before it goes (later candidates trickle). */
const GATHER_WAIT_MS = 2000;

// ---- To the runner: one ordered queue of POSTs.
const outbox = [];
let flushing = false;
async function flush() {
  flushing = true;
  while (outbox.length) {
    const batch = outbox.splice(0, outbox.length);
    try {
      await fetch('/out', { method: 'POST', body: JSON.stringify(batch) });
    } catch (e) {
      console.error('runner unreachable', e);
    }
  }
  flushing = false;
}
function post(m) {
  outbox.push(m);
  if (!flushing) flush();
}
const emit = (event, fields = {}) => post({ kind: 'event', event, fields });
const signal = (msg) => post({ kind: 'signal', msg });
const log = (text) => post({ kind: 'log', text: String(text) });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function until(cond, ms, step = 20) {
  const deadline = performance.now() + ms;
  while (!cond()) {
    if (performance.now() > deadline) return false;
    await sleep(step);
  }
  return true;
}

// ---- The connection.
const pc = new RTCPeerConnection({ bundlePolicy: cfg.bundlePolicy || 'balanced' });
const polite = cfg.polite;
let makingOffer = false;
let ignoreOffer = false;
let isSettingRemoteAnswerPending = false;
let gotFirstOffer = false;
let connected = false;
let closing = false;
let failedActions = 0;
let stream = null;
const stoppedHere = new Set(); // transceivers this side stopped
const sentTracks = []; // { transceiver, kind, last: {frames, packets}, ended }
const gotTracks = []; // { transceiver, kind, mid, track, last, ended }

async function media() {
  if (!stream) {
    stream = await navigator.mediaDevices.getUserMedia({
      audio: cfg.send.includes('audio'), video: cfg.send.includes('video'),
    });
  }
  return stream;
}

async function addLocalTracks() {
  if (!cfg.send.length) return;
  const s = await media();
  for (const kind of cfg.send) {
    const track = s.getTracks().find((t) => t.kind === kind);
    const sender = pc.addTrack(track, s);
    const transceiver = pc.getTransceivers().find((t) => t.sender === sender);
    sentTracks.push({ transceiver, kind, last: { frames: 0, packets: 0 }, ended: false });
  }
}

/**
 * Sends the local description: at once, with the candidates gathered so far (later ones
 * trickle), as browser applications do; with cfg.gatherFirst once gathering is done (or
 * GATHER_WAIT_MS passed). At once matters when the page moves its BUNDLE tag: Chromium drops
 * what its old SCTP association receives from its setLocalDescription until the peer has the
 * offer (docs/browsers.md), so the sooner the offer goes the less is lost.
 */
// Candidates are held while a description is on its way: they are in it when it goes (the
// snapshot below), and one sent ahead of its description would name a transport the peer
// does not know yet (a new BUNDLE tag's).
let describedAt = 0;
let describing = 0;
async function sendLocalDescription() {
  const type = pc.localDescription.type;
  describing += 1;
  try {
    if (cfg.gatherFirst) {
      await sleep(50);
      await until(() => pc.iceGatheringState === 'complete', GATHER_WAIT_MS);
    }
    // A polite offerer may have rolled back while it waited: that offer is gone.
    if (!pc.localDescription || pc.localDescription.type !== type) return;
    if (type === 'offer' && pc.signalingState !== 'have-local-offer') return;
    describedAt = performance.now();
    signal({ type, sdp: pc.localDescription.sdp });
  } finally {
    describing -= 1;
  }
}

// Chromium workaround, second half (docs/browsers.md): Chromium switches its channels to the
// new SCTP transport inside the setLocalDescription/setRemoteDescription call that moves the
// BUNDLE tag and starts that transport later in the same call; a send posted in between
// closes the channel. So no message is sent while a description is being applied.
let applyingDescription = 0;
async function applying(apply) {
  applyingDescription += 1;
  try {
    return await apply();
  } finally {
    applyingDescription -= 1;
  }
}

pc.onnegotiationneeded = async () => {
  if (cfg.role === 'answer' && !gotFirstOffer) return; // the offerer speaks first
  if (closing) return;
  try {
    makingOffer = true;
    await applying(() => pc.setLocalDescription());
    await sendLocalDescription();
  } catch (e) {
    log(`offer failed: ${e}`);
  } finally {
    makingOffer = false;
  }
};

pc.onicecandidate = ({ candidate }) => {
  // Candidates found after the description went trickle; the earlier ones are in it.
  // cfg.trickleEarly: as they come, even ahead of their description (an ordering a peer
  // must survive; it found a tacet bug, tests/tests/session_trickle_across_own_tag_move.rs).
  if (candidate && candidate.candidate && describedAt && (!describing || cfg.trickleEarly)) {
    signal({
      type: 'candidate', candidate: candidate.candidate, id: candidate.sdpMid,
      label: candidate.sdpMLineIndex,
    });
  }
};

pc.onconnectionstatechange = () => {
  emit('connection_state', { state: pc.connectionState });
  if (pc.connectionState === 'connected' && !connected) {
    connected = true;
    play();
  }
};
pc.oniceconnectionstatechange = () => emit('ice_state', { state: pc.iceConnectionState });
// peer_next: the number after the highest of the peer's messages received so far — a judge
// places messages lost while this side's tag move was pending with it.
// transceivers: getTransceivers() once a negotiation is done (stable) — a stopped transceiver is
// gone from it (webrtc-pc), which a judge checks — with mid, kind and currentDirection.
pc.onsignalingstatechange = () => emit('signaling_state', {
  state: pc.signalingState,
  peer_next: tally.from_peer.next,
  ...(pc.signalingState === 'stable' ? {
    transceivers: pc.getTransceivers().map((t) => ({
      mid: t.mid, kind: t.receiver.track.kind, direction: t.currentDirection,
    })),
  } : {}),
});

pc.ontrack = ({ track, transceiver, streams }) => {
  const got = {
    transceiver, kind: track.kind, mid: transceiver.mid, track,
    last: { frames: 0, packets: 0 }, ended: false,
  };
  const old = gotTracks.findIndex((g) => g.transceiver === transceiver);
  if (old >= 0) gotTracks.splice(old, 1);
  gotTracks.push(got);
  emit('track', { kind: track.kind, mid: transceiver.mid, streams: streams.map((s) => s.id) });
  track.onmute = () => emit('track_muted', { kind: track.kind, mid: got.mid });
  track.onunmute = () => emit('track_unmuted', { kind: track.kind, mid: got.mid });
  track.onended = () => {
    got.ended = true;
    emit('track_ended', { ...endReason(got), kind: track.kind, mid: got.mid, frames_total: got.last.frames });
  };
};

/** The browser gives no reason for an ended track: the one its state shows (`inferred`). */
function endReason(got) {
  if (pc.connectionState === 'closed') {
    return { reason: 'the peer connection closed', cause: 'peer-connection-closed', inferred: true };
  }
  if (stoppedHere.has(got.transceiver)) {
    return { reason: 'this side stopped the transceiver', cause: 'transceiver-stopped', inferred: true };
  }
  // Tracks end inside setRemoteDescription, before remoteDescription shows the new one.
  const rejected = [latestRemoteSdp, pc.remoteDescription?.sdp].some((sdp) => {
    const section = (sdp || '').split(/\r?\nm=/).find((s) => new RegExp(`\\na=mid:${got.mid}(\\r|\\n|$)`).test(s));
    return section && /^\w+ 0 /.test(section);
  });
  if (rejected) {
    return { reason: 'the remote description rejected the m-section (port 0)', cause: 'remote-rejected', inferred: true };
  }
  return { reason: 'ended', cause: 'other', inferred: true };
}

// ---- Signaling from the runner, handled one at a time (perfect negotiation).
async function onSignal(msg) {
  if (msg.type === 'offer' || msg.type === 'answer') {
    const readyForOffer = !makingOffer &&
      (pc.signalingState === 'stable' || isSettingRemoteAnswerPending);
    const offerCollision = msg.type === 'offer' && !readyForOffer;
    ignoreOffer = !polite && offerCollision;
    if (ignoreOffer) {
      emit('offer_ignored', { reason: 'collision, this side is impolite' });
      return;
    }
    isSettingRemoteAnswerPending = msg.type === 'answer';
    latestRemoteSdp = msg.sdp;
    try {
      await applying(() => pc.setRemoteDescription({ type: msg.type, sdp: msg.sdp }));
    } catch (e) {
      isSettingRemoteAnswerPending = false;
      emit('refused', { direction: 'sent', type: msg.type, reason: String(e) });
      signal({ type: 'refused', reason: `${cfg.browser} refused the ${msg.type}: ${e}` });
      return;
    }
    isSettingRemoteAnswerPending = false;
    if (msg.type === 'offer') {
      if (!gotFirstOffer) {
        gotFirstOffer = true;
        // The answerer's tracks reuse the offer's transceivers (webrtc-pc addTrack).
        if (cfg.role === 'answer') await addLocalTracks();
      }
      try {
        await applying(() => pc.setLocalDescription());
      } catch (e) {
        // An offer the browser took but cannot answer (Chromium: a new mid at an m-line index
        // before the BUNDLE tag, "Failed to setup RTCP mux"; docs/demo.md): roll it back and
        // refuse it, so that the offerer rolls back too instead of waiting for an answer.
        await applying(() => pc.setRemoteDescription({ type: 'rollback' })).catch((r) => log(`rollback: ${r}`));
        emit('refused', { direction: 'sent', type: 'answer', reason: String(e) });
        signal({ type: 'refused', reason: `${cfg.browser} could not answer the offer: ${e}` });
        return;
      }
      await sendLocalDescription();
    }
  } else if (msg.type === 'candidate') {
    try {
      await pc.addIceCandidate({
        candidate: msg.candidate, sdpMid: msg.id, sdpMLineIndex: msg.label,
      });
    } catch (e) {
      if (!ignoreOffer) log(`candidate refused: ${e}`);
    }
  } else if (msg.type === 'refused') {
    emit('refused', { direction: 'received', reason: msg.reason });
  } else if (msg.type === 'bye') {
    close('peer-bye');
  } else if (msg.type === 'gone') {
    fatal = msg.reason;
    close('peer-bye');
  }
}

let fatal = null;
let latestRemoteSdp = null;
async function inbox() {
  let from = 0;
  for (;;) {
    let batch;
    try {
      batch = await (await fetch(`/in?from=${from}`)).json();
    } catch (e) {
      await sleep(200);
      continue;
    }
    for (const msg of batch) {
      from += 1;
      await onSignal(msg);
    }
  }
}

// ---- The data channel and its numbered messages.
const tally = new Tally();
let channel = null;
let chatSent = 0;
let chatTimer = null;
let endSent = false;
let channelClosed = false;
// Chromium workaround (docs/browsers.md): a send while the SCTP transport that a BUNDLE-tag
// move put in place has not started makes Chromium close the channel ("Transport is not
// started"), so a tick that finds `pc.sctp.state` other than "connected", or a description
// being applied (`applying`), holds its message (the next number waits, none is skipped). How
// many ticks were held and for how long is reported.
let heldTicks = 0;
let heldMs = 0;
let heldSince = null;

function onChannel(dc) {
  if (channel || closing) return;
  if (cfg.datachannel && dc.label !== cfg.datachannel) return;
  channel = dc;
  const opened = () => {
    emit('datachannel_open', { label: dc.label });
    if (!cfg.datachannel) return;
    chatTimer = setInterval(() => {
      if (dc.readyState !== 'open') return;
      if (applyingDescription > 0 || (pc.sctp && pc.sctp.state !== 'connected')) {
        heldTicks += 1;
        heldSince ??= performance.now();
        return;
      }
      if (heldSince !== null) {
        heldMs += performance.now() - heldSince;
        heldSince = null;
      }
      dc.send(message(cfg.origin, chatSent));
      chatSent += 1;
    }, CHAT_EVERY_MS);
  };
  if (dc.readyState === 'open') opened();
  else dc.onopen = opened;
  dc.onmessage = ({ data }) => {
    if (typeof data === 'string') tally.onText(cfg.origin, data, performance.now());
    else tally.other += 1;
  };
  dc.onerror = (e) => emit('datachannel_error', { label: dc.label, error: String(e.error?.message ?? e.error ?? e) });
  dc.addEventListener('closing', () => emit('datachannel_closing', { label: dc.label, while_closing: closing }));
  dc.onclose = () => {
    channelClosed = true;
    clearInterval(chatTimer);
    emit('datachannel_closed', { label: dc.label, while_closing: closing });
  };
}
pc.ondatachannel = ({ channel: dc }) => onChannel(dc);

function stopChat() {
  clearInterval(chatTimer);
  chatTimer = null;
}
function sendEnd() {
  if (channel && cfg.datachannel && channel.readyState === 'open') {
    channel.send(end(cfg.origin, chatSent));
    endSent = true;
  }
}

// ---- Reports each second: media from getStats, and the data channel's counts.
async function report(last) {
  for (const s of sentTracks) {
    if (s.ended && !last) continue;
    const stats = await safeStats(s.transceiver.sender);
    const out = [...stats.values()].find((r) => r.type === 'outbound-rtp');
    const packets = out ? out.packetsSent || 0 : 0;
    const frames = out ? (s.kind === 'video' ? out.framesSent || 0 : packets) : 0;
    emitMedia('sent', s, { frames, packets }, last);
    s.ended = s.ended || s.transceiver.currentDirection === 'stopped' || s.transceiver.direction === 'stopped';
  }
  for (const g of gotTracks) {
    if (g.ended && !last) continue;
    const stats = await safeStats(g.transceiver.receiver);
    const inb = [...stats.values()].find((r) => r.type === 'inbound-rtp');
    const packets = inb ? inb.packetsReceived || 0 : 0;
    // Audio: one Opus frame per packet (tacet-peer sends 20 ms frames); video: frames the
    // browser assembled (framesReceived), else decoded.
    const frames = inb ? (g.kind === 'video' ? (inb.framesReceived ?? inb.framesDecoded ?? 0) : packets) : 0;
    emitMedia('received', g, { frames, packets }, last, {
      frames_decoded_total: inb ? inb.framesDecoded ?? null : null,
      bytes_total: inb ? inb.bytesReceived ?? null : null,
    });
  }
  if (channel) {
    emit('datachannel', {
      ...tally.report(channel.label, chatSent, endSent), state: channel.readyState, final: last,
      held_ticks: heldTicks,
      held_ms: Math.round(heldMs + (heldSince === null ? 0 : performance.now() - heldSince)),
    });
  }
}
async function safeStats(senderOrReceiver) {
  try {
    return await senderOrReceiver.getStats();
  } catch (e) {
    return new Map();
  }
}
function emitMedia(direction, t, now, last, extra = {}) {
  // Counters that went down were gone (a stopped transceiver's stats: its counts stay where
  // they were) or restarted (Firefox restarts a live receiver's inbound-rtp counters at a
  // renegotiation: what it counts from then on adds to what came before).
  t.raw ??= { frames: 0, packets: 0 };
  t.base ??= { frames: 0, packets: 0 };
  if (now.packets < t.raw.packets) t.base = t.last;
  const raw = now;
  now = { frames: t.base.frames + raw.frames, packets: t.base.packets + raw.packets };
  t.raw = raw;
  t.mid = t.transceiver.mid ?? t.mid ?? null;
  emit('media', {
    direction, kind: t.kind, mid: t.mid,
    frames: Math.max(0, now.frames - t.last.frames), packets: Math.max(0, now.packets - t.last.packets),
    frames_total: now.frames, packets_total: now.packets, ended: t.ended, final: last, ...extra,
  });
  t.last = now;
}

// ---- The script: steps timed from the first `connected`, as tacet-peer's --script.
function tagMid() {
  const sdp = pc.localDescription ? pc.localDescription.sdp : '';
  const m = sdp.match(/a=group:BUNDLE ([^\r\n]*)/);
  return m ? m[1].trim().split(' ')[0] : null;
}
const live = (t) => t.direction !== 'stopped' && t.currentDirection !== 'stopped' && !t.stopped;
function mediaKind(t) {
  return (t.sender.track && t.sender.track.kind) || t.receiver.track.kind;
}
/** Negotiation done: stable, and every transceiver we stopped is gone or stopped. */
function settled() {
  return pc.signalingState === 'stable' && !makingOffer &&
    [...stoppedHere].every((t) => !pc.getTransceivers().includes(t) || t.currentDirection === 'stopped');
}

async function act(step) {
  const [verb, what] = step.action.split(' ');
  if (verb === 'stop' || verb === 'stop-media') {
    const tag = tagMid();
    const candidates = pc.getTransceivers().filter(live).filter((t) => {
      if (verb === 'stop-media') return true;
      if (what === 'tag') return t.mid === tag;
      if (what === 'non-tag') return t.mid !== null && t.mid !== tag;
      return mediaKind(t) === what;
    });
    const targets = verb === 'stop-media' ? candidates : candidates.slice(0, 1);
    if (!targets.length) throw new Error(`no live transceiver for "${step.action}" (tag ${tag})`);
    const mids = targets.map((t) => t.mid);
    const kinds = targets.map(mediaKind);
    for (const t of targets) {
      stoppedHere.add(t);
      t.stop();
      for (const s of sentTracks) if (s.transceiver === t) s.ended = true;
    }
    if (!(await until(settled, ACTION_PATIENCE_MS))) throw new Error(`not negotiated within ${ACTION_PATIENCE_MS} ms (signaling ${pc.signalingState})`);
    return verb === 'stop-media' ? { stopped: mids.length, mids } : { mid: mids[0], kind: kinds[0], tag };
  }
  if (verb === 'add') {
    const s = await navigator.mediaDevices.getUserMedia({ [what]: true });
    const track = s.getTracks()[0];
    const sender = pc.addTrack(track, s);
    const transceiver = pc.getTransceivers().find((t) => t.sender === sender);
    sentTracks.push({ transceiver, kind: what, last: { frames: 0, packets: 0 }, ended: false });
    if (!(await until(() => settled() && transceiver.currentDirection, ACTION_PATIENCE_MS))) {
      throw new Error(`not negotiated within ${ACTION_PATIENCE_MS} ms`);
    }
    return { mid: transceiver.mid, recycled: pc.localDescription.sdp.split('\nm=').length - 1 };
  }
  throw new Error(`unknown action "${step.action}"`);
}

async function play() {
  const t0 = performance.now();
  for (const step of cfg.script) {
    const wait = t0 + step.at * 1000 - performance.now();
    if (wait > 0) await sleep(wait);
    if (closing) return;
    if (step.action === 'close') {
      close('script');
      return;
    }
    const started = performance.now();
    const fields = { action: step.action, at: step.at };
    try {
      Object.assign(fields, await act(step));
      fields.ok = true;
    } catch (e) {
      fields.ok = false;
      fields.error = String(e.message || e);
      failedActions += 1;
    }
    fields.took = (performance.now() - started) / 1000;
    emit('action', fields);
  }
}

// ---- The close (tacet-peer's dance, run.rs): the closer sends its end and bye, waits for the
// peer's end, closes; the side told bye sends its end once the closer's came, and waits for
// the closer to close.
async function close(trigger) {
  if (closing) return;
  closing = true;
  stopChat();
  const chatting = !!channel && !channelClosed;
  if (trigger === 'script') {
    if (chatting) sendEnd();
    post({ kind: 'bye' });
    if (chatting) {
      await until(() => channelClosed || tally.peer === null || tally.from_peer.end !== null, CLOSER_WAIT_MS);
    }
  } else if (chatting) {
    await until(() => channelClosed || tally.peer === null || tally.from_peer.end !== null, TOLD_WAIT_MS);
    sendEnd();
    await until(() => channelClosed || ['closed', 'failed', 'disconnected'].includes(pc.connectionState), DRAIN_WAIT_MS);
  }
  // The final report before close(): a closed connection's getStats has nothing left.
  await report(true);
  await sleep(150);
  pc.close();
  emit('closed', { failed_actions: failedActions });
  post({ kind: 'done', failed_actions: failedActions, fatal });
}

// ---- Start.
(async () => {
  emit('started', {
    browser: cfg.browser, user_agent: navigator.userAgent, send: cfg.send,
    datachannel: cfg.datachannel, polite, steps: cfg.script.length,
  });
  if (cfg.role === 'offer') {
    // The devices first, so the tracks and the channel go in one offer (audio, video, data:
    // the m-line order of tacet-peer's first offer).
    if (cfg.send.length) await media();
    await addLocalTracks();
    if (cfg.datachannel) onChannel(pc.createDataChannel(cfg.datachannel));
    if (!cfg.send.length && !cfg.datachannel) pc.onnegotiationneeded();
  }
  setInterval(() => { if (!closing) report(false); }, REPORT_EVERY_MS);
  inbox();
})().catch((e) => {
  log(`start failed: ${e}`);
  post({ kind: 'done', failed_actions: failedActions, fatal: `start failed: ${e}` });
});
