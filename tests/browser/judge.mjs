#!/usr/bin/env node
// Judges one run of tacet-peer against a browser from both sides' --json lines (tacet-peer's
// and run.mjs's share one vocabulary): node judge.mjs CASE TACET.jsonl BROWSER.jsonl
// TACET_EXIT BROWSER_EXIT. Prints one line, PASS or FAIL with every reason; exits 0 on PASS.
//
// Every case checks: both exit 0; both reach connected; media arrives both ways before any
// stop (packets; tacet-peer counts a browser's frames as bad_frames since they are not its
// numbered synthetic frames); the data channel's numbered messages complete on both sides
// (every one once, in order, the end count matching). Then per case:
//   connect   nothing more
//   s1        tacet stopped a non-tag transceiver (video): the browser's video track ended
//             with the m-section rejected
//   s2        tacet stopped the BUNDLE-tag transceiver (audio, mid 0): the same for audio
//   s3        the browser stopped its BUNDLE-tag transceiver: tacet's track ended with
//             remote-rejected
//   s4        tacet stops all media (stop-media): the browser's tracks ended as rejected,
//             tacet data-only
//   s5        the browser stops a non-tag transceiver (video): tacet's track ended with
//             remote-rejected
//   s6        tacet stops video, then adds video: the browser gets a new video track, and its
//             packets
//   s7        glare: both stop video at the same moment: both actions done, both stable,
//             both video tracks ended
// and where a kind stays live (s1-s3, s5-s7), it goes on arriving on both sides after the stop.

import fs from 'node:fs';

const [kase, tacetFile, browserFile, tacetExit, browserExit] = process.argv.slice(2);
const read = (f) => fs.readFileSync(f, 'utf8').split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
const tacet = read(tacetFile);
const browser = read(browserFile);
const reasons = [];
const of = (events, name) => events.filter((e) => e.event === name);
const need = (ok, why) => { if (!ok) reasons.push(why); };

need(tacetExit === '0', `tacet-peer exited ${tacetExit}`);
need(browserExit === '0', `the browser runner exited ${browserExit}`);
for (const [who, events] of [['tacet', tacet], ['browser', browser]]) {
  const connected = of(events, 'connection_state').find((e) => e.state === 'connected');
  need(connected, `${who}: never connected`);
  for (const kind of ['audio', 'video']) {
    const got = of(events, 'media').filter((e) => e.direction === 'received' && e.kind === kind && e.packets > 0);
    need(got.length > 0, `${who}: no ${kind} packets received`);
  }
  const chat = of(events, 'datachannel').filter((e) => e.final).at(-1) ?? of(events, 'datachannel').at(-1);
  if (!chat) {
    need(false, `${who}: no data-channel report`);
  } else {
    const p = chat.from_peer;
    need(p.complete, `${who}: the peer's messages are not complete (received ${p.received}, lost ${p.lost}, duplicates ${p.duplicates}, out of order ${p.out_of_order}, end ${p.end})`);
    need(chat.sent_end, `${who}: did not send its end of messages`);
  }
  for (const e of of(events, 'sctp_lost')) need(false, `${who}: SCTP lost: ${e.reason}`);
}
const ended = (events, kind) => of(events, 'track_ended').find((e) => e.kind === kind && e.cause !== 'peer-connection-closed');
const actionOk = (events, prefix) => {
  const a = of(events, 'action').find((e) => e.action.startsWith(prefix));
  need(a && a.ok, `${events === tacet ? 'tacet' : 'browser'}: action "${prefix}" ${a ? `failed: ${a.error}` : 'did not run'}`);
};
// After the stop, the kind that is still live keeps flowing both ways: some packets of it
// arrive on each side once the stop's action was reported done.
const afterStop = (survivor, events, who) => {
  const done = [...of(tacet, 'action'), ...of(browser, 'action')].find((a) => a.ok);
  if (!done) return;
  // Both sides' clocks start within a second of each other; a second of margin.
  const after = (e) => e.t > done.t + 1;
  const got = of(events, 'media').filter((e) => e.direction === 'received' && e.kind === survivor && after(e) && e.packets > 0);
  need(got.length > 0, `${who}: no ${survivor} packets received after the stop`);
};
if (['s1', 's2', 's3', 's5', 's6', 's7'].includes(kase)) {
  const survivor = ['s2', 's3'].includes(kase) ? 'video' : 'audio';
  afterStop(survivor, tacet, 'tacet');
  afterStop(survivor, browser, 'browser');
}
if (kase === 's1' || kase === 's2') {
  const kind = kase === 's1' ? 'video' : 'audio';
  actionOk(tacet, `stop ${kind}`);
  const e = ended(browser, kind);
  need(e && e.cause === 'remote-rejected', `browser: its ${kind} track did not end as rejected (${e ? e.cause : 'no end'})`);
} else if (kase === 's3') {
  actionOk(browser, 'stop tag');
  const e = ended(tacet, 'audio');
  need(e && e.cause === 'remote-rejected', `tacet: its audio track did not end as remote-rejected (${e ? e.cause : 'no end'})`);
}
if (kase === 's4') {
  actionOk(tacet, 'stop-media');
  for (const kind of ['audio', 'video']) {
    const e = ended(browser, kind);
    need(e && e.cause === 'remote-rejected', `browser: its ${kind} track did not end as rejected (${e ? e.cause : 'no end'})`);
  }
  need(of(tacet, 'mode').some((e) => e.to === 'data-only'), 'tacet: never data-only');
} else if (kase === 's5') {
  actionOk(browser, 'stop non-tag');
  const e = ended(tacet, 'video');
  need(e && e.cause === 'remote-rejected', `tacet: its video track did not end as remote-rejected (${e ? e.cause : 'no end'})`);
} else if (kase === 's6') {
  actionOk(tacet, 'stop video');
  actionOk(tacet, 'add video');
  const add = of(tacet, 'action').find((a) => a.action === 'add video');
  const again = add && of(browser, 'track').find((e) => e.kind === 'video' && e.t > add.t - add.took - 1);
  need(again, 'browser: no new video track after the add');
  const packets = add && of(browser, 'media').filter((e) => e.direction === 'received' && e.kind === 'video' && e.mid === add.mid && e.t > add.t + 1 && e.packets > 0);
  need(packets && packets.length, `browser: no video packets on the added track (mid ${add && add.mid})`);
} else if (kase === 's7') {
  actionOk(tacet, 'stop video');
  actionOk(browser, 'stop video');
  for (const [who, events] of [['tacet', tacet], ['browser', browser]]) {
    const states = of(events, 'signaling_state').filter((e) => e.state !== 'closed');
    need(states.length && states.at(-1).state === 'stable', `${who}: not stable at the end (${states.length ? states.at(-1).state : 'none'})`);
    need(ended(events, 'video'), `${who}: its video track did not end`);
  }
}
const chats = [tacet, browser].map((ev) => of(ev, 'datachannel').at(-1));
const summary = chats.map((c) => (c ? `${c.sent} sent/${c.from_peer.received} got` : '-')).join(', ');
if (reasons.length) {
  console.log(`FAIL (${summary}): ${reasons.join('; ')}`);
  process.exit(1);
}
console.log(`PASS (tacet ${summary.replace(', ', ', browser ')})`);
