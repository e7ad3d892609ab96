"""aiortc_peer.py: an aiortc 1.16 peer for tacet's interop suite (`cargo xtask interop`).

It takes the flags of `tacet-peer` (issue 13) that make sense for aiortc, so the harness drives
both peers the same way:

    aiortc_peer.py offer|answer --signaling tcp-socket --signaling-host HOST --signaling-port PORT
        [--send audio,video] [--datachannel LABEL] [--echo-data]
        [--script "3s stop video; 8s close"] [--json]

Signaling is aiortc's own `TcpSocketSignaling` (the offerer listens, the answerer connects; this
script retries the connection, which aiortc's class does not). Media is aiortc's own: a small
synthetic video track (aiortc's VP8 encoder) and aiortc's silent `AudioStreamTrack` (Opus). No
file is read.

Script steps (timed from the first "connected" connection state), the aiortc-side actions of
issue 13's scenarios:
    stop audio|video   `await transceiver.stop()` as aiortc does it: the sender sends an RTCP
                       BYE, and nothing is renegotiated (aiortc 1.16 changes no SDP on a stop)
    close              the close procedure below

The event contract (JSON lines on stdout with --json) is the one written at the top of
xtask/src/interop.rs; this script and `tacet-peer --json` both follow it.

aioice leaves 127.0.0.1 out when it gathers host candidates; the interop suite must stay on
loopback, so `aioice.ice.get_host_addresses` is replaced before anything gathers
(interop-findings §3 of the project's references).
"""

import argparse
import asyncio
import json
import sys
import time

import aioice.ice
from aiortc import (
    RTCIceCandidate,
    RTCPeerConnection,
    RTCSessionDescription,
    VideoStreamTrack,
    __version__ as AIORTC_VERSION,
)
from aiortc.contrib.signaling import BYE, TcpSocketSignaling
from aiortc.mediastreams import AudioStreamTrack, MediaStreamError
from av import VideoFrame

# The numbered data-channel messages: one every MESSAGE_INTERVAL seconds each way.
MESSAGE_INTERVAL = 0.05
# After a BYE (sent or received) the peer keeps reading the data channel this long before its
# final count, so every message sent before the BYE is counted (the contract's close procedure).
LINGER = 0.5
# How long the answerer keeps retrying the offerer's signaling port.
CONNECT_PATIENCE = 30.0
# What a `media` event counts per track and second.
COUNTS = ("frames", "packets", "decoded")


def loopback_only(use_ipv4: bool, use_ipv6: bool) -> list:
    """aioice's host-address lookup, kept on 127.0.0.1 (interop tests stay on loopback)."""
    return ["127.0.0.1"] if use_ipv4 else []


aioice.ice.get_host_addresses = loopback_only


class SmallVideoTrack(VideoStreamTrack):
    """aiortc's synthetic video, 160x120 with a moving bar so VP8 has something to encode;
    small to keep the encoder cheap on a 2-core machine."""

    async def recv(self) -> VideoFrame:
        pts, time_base = await self.next_timestamp()
        frame = VideoFrame(width=160, height=120, format="yuv420p")
        luma = bytearray(frame.planes[0].buffer_size)
        bar = (pts // 3000) % 160
        stride = frame.planes[0].line_size
        for row in range(120):
            luma[row * stride + bar] = 255
        frame.planes[0].update(bytes(luma))
        for plane in frame.planes[1:]:
            plane.update(bytes([128]) * plane.buffer_size)
        frame.pts = pts
        frame.time_base = time_base
        return frame


class ScriptError(ValueError):
    pass


def parse_script(text: str) -> list:
    """"2s stop video; 8s close" -> [(2.0, "stop video"), (8.0, "close")], in time order."""
    steps = []
    for part in text.split(";"):
        part = part.strip()
        if not part:
            continue
        when, _, action = part.partition(" ")
        if not when.endswith("s"):
            raise ScriptError(f"step {part!r}: a step starts with a time such as 2s")
        try:
            seconds = float(when[:-1])
        except ValueError:
            raise ScriptError(f"step {part!r}: {when!r} is not a time such as 2s") from None
        action = " ".join(action.split())
        if action not in ("stop audio", "stop video", "close"):
            raise ScriptError(
                f"step {part!r}: aiortc_peer knows 'stop audio', 'stop video' and 'close'"
            )
        steps.append((seconds, action))
    return sorted(steps, key=lambda s: s[0])


class Peer:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.role = args.role
        self.remote_role = "answer" if args.role == "offer" else "offer"
        self.pc = RTCPeerConnection()
        self.signaling = TcpSocketSignaling(args.signaling_host, args.signaling_port)
        self.kinds = [k for k in args.send.split(",") if k] if args.send else []
        self.sources = {}
        self.channel = None
        self.sending = False
        self.sent = 0
        self.received = 0
        self.expected = 0
        self.gaps = 0
        self.duplicates = 0
        self.echoed = 0
        self.tracks = {}  # remote track id -> record
        self.connected = asyncio.Event()
        self.done = asyncio.get_running_loop().create_future()
        self.closing = False

    def emit(self, event: str, **fields) -> None:
        record = {"event": event, **fields}
        if self.args.json:
            sys.stdout.write(json.dumps(record, sort_keys=True) + "\n")
        else:
            details = " ".join(f"{k}={v}" for k, v in fields.items() if k != "sdp")
            sys.stdout.write(f"{event} {details}\n")
        sys.stdout.flush()

    def fail(self, message: str) -> None:
        if not self.done.done():
            self.done.set_exception(RuntimeError(message))

    # -- media ------------------------------------------------------------------------------

    def add_sources(self) -> None:
        for kind in self.kinds:
            if kind in self.sources:
                continue
            track = SmallVideoTrack() if kind == "video" else AudioStreamTrack()
            self.sources[kind] = track
            self.pc.addTrack(track)

    def transceiver_of(self, track):
        for transceiver in self.pc.getTransceivers():
            if transceiver.receiver.track is track:
                return transceiver
        return None

    def count_rtp(self, receiver, record: dict) -> None:
        """Counts RTP packets and encoded frames as they reach the receiver, before aiortc's
        decoder: an audio packet carries one Opus frame, a video frame ends at the RTP marker
        bit (RFC 7741 §4.1). Wraps the receiver's packet handler (aiortc has no public hook
        below decoding; decoding is counted separately from recv())."""
        handle = receiver._handle_rtp_packet

        async def counted(packet, arrival_time_ms):
            record["packets"] += 1
            if record["kind"] == "audio" or packet.marker:
                record["frames"] += 1
            await handle(packet, arrival_time_ms=arrival_time_ms)

        receiver._handle_rtp_packet = counted

    async def decode_frames(self, track, record: dict) -> None:
        while True:
            try:
                await track.recv()
            except MediaStreamError:
                record["live"] = False
                self.emit(
                    "track-ended",
                    mid=record["mid"],
                    kind=track.kind,
                    reason="MediaStreamError from recv() (aiortc: the receiver stopped)",
                )
                return
            record["decoded"] += 1

    async def report_media(self) -> None:
        """Encoded frames, RTP packets and decoded frames received per live remote track in the
        last second, each second."""
        while True:
            await asyncio.sleep(1.0)
            for record in self.tracks.values():
                if not record["live"]:
                    continue
                counts = {k: record[k] - record["reported"][k] for k in COUNTS}
                record["reported"] = {k: record[k] for k in COUNTS}
                self.emit("media", mid=record["mid"], kind=record["kind"], **counts)

    # -- data channel -----------------------------------------------------------------------

    def attach_channel(self, channel) -> None:
        self.channel = channel

        def on_open() -> None:
            self.emit("datachannel-open", label=channel.label)
            if not self.closing:
                self.sending = True
                asyncio.ensure_future(self.send_numbered())

        if channel.readyState == "open":
            on_open()
        else:
            channel.on("open", on_open)
        channel.on("message", self.on_message)
        channel.on("close", lambda: self.emit("datachannel-closed", label=channel.label))

    async def send_numbered(self) -> None:
        while self.sending and self.channel.readyState == "open":
            self.channel.send(f"{self.role}:{self.sent}")
            self.sent += 1
            await asyncio.sleep(MESSAGE_INTERVAL)

    def on_message(self, message) -> None:
        if self.args.echo_data and self.channel.readyState == "open":
            self.channel.send(message)
        if not isinstance(message, str):
            return
        side, _, number = message.partition(":")
        if side == self.role:
            self.echoed += 1
            return
        if side != self.remote_role or not number.isdigit():
            return
        n = int(number)
        self.received += 1
        if n < self.expected:
            self.duplicates += 1
        else:
            self.gaps += n - self.expected
            self.expected = n + 1

    def report_channel(self, final: bool) -> None:
        if self.channel is None:
            return
        self.emit(
            "datachannel",
            label=self.channel.label,
            sent=self.sent,
            received=self.received,
            gaps=self.gaps,
            duplicates=self.duplicates,
            echoed=self.echoed,
            final=final,
        )

    async def report_channel_each_second(self) -> None:
        while True:
            await asyncio.sleep(1.0)
            self.report_channel(final=False)

    # -- signaling --------------------------------------------------------------------------

    async def send_description(self) -> None:
        description = self.pc.localDescription
        self.emit("sdp", direction="sent", type=description.type, sdp=description.sdp)
        await self.signaling.send(description)

    async def receive(self):
        if self.role == "offer":
            return await self.signaling.receive()
        # aiortc's TcpSocketSignaling connects once; the offerer may not listen yet.
        deadline = time.monotonic() + CONNECT_PATIENCE
        while True:
            try:
                return await self.signaling.receive()
            except OSError as error:
                if time.monotonic() > deadline:
                    raise RuntimeError(
                        f"could not connect to the offerer's signaling at "
                        f"{self.args.signaling_host}:{self.args.signaling_port}: {error}"
                    ) from error
                await asyncio.sleep(0.1)

    async def consume_signaling(self) -> None:
        while True:
            message = await self.receive()
            if isinstance(message, RTCSessionDescription):
                self.emit("sdp", direction="received", type=message.type, sdp=message.sdp)
                await self.pc.setRemoteDescription(message)
                if message.type == "offer":
                    self.add_sources()
                    await self.pc.setLocalDescription(await self.pc.createAnswer())
                    await self.send_description()
            elif isinstance(message, RTCIceCandidate):
                await self.pc.addIceCandidate(message)
            elif message is BYE:
                self.emit("bye", direction="received")
                await self.close(send_bye=False)
                return
            elif message is None:
                if not self.closing:
                    self.fail("the signaling connection ended without a bye")
                return

    # -- script and close -------------------------------------------------------------------

    async def run_script(self, steps: list) -> None:
        await self.connected.wait()
        start = time.monotonic()
        for seconds, action in steps:
            await asyncio.sleep(max(0.0, start + seconds - time.monotonic()))
            if self.closing:
                return
            self.emit("script", step=action, status="start")
            if action == "close":
                await self.close(send_bye=True)
                return
            kind = action.split()[1]
            transceiver = next(
                (
                    t
                    for t in self.pc.getTransceivers()
                    if t.kind == kind and not t.stopped and t.sender.track is not None
                ),
                None,
            )
            if transceiver is None:
                self.emit("script", step=action, status="failed", error=f"no {kind} sender")
                continue
            await transceiver.stop()
            self.emit("script", step=action, status="done", mid=transceiver.mid)

    async def close(self, send_bye: bool) -> None:
        """The contract's close procedure: stop sending numbered messages, send the bye (the
        closing side), keep reading for LINGER, report the final counts, close."""
        if self.closing:
            return
        self.closing = True
        self.sending = False
        if send_bye:
            self.emit("bye", direction="sent")
            await self.signaling.send(BYE)
        await asyncio.sleep(LINGER)
        self.report_channel(final=True)
        await self.pc.close()
        self.emit("closed", reason="bye sent" if send_bye else "bye received")
        if not self.done.done():
            self.done.set_result(None)

    async def run(self, steps: list) -> None:
        self.emit("ready", peer="aiortc", version=AIORTC_VERSION, role=self.role)

        @self.pc.on("connectionstatechange")
        def on_state() -> None:
            state = self.pc.connectionState
            self.emit("connection-state", state=state)
            if state == "connected":
                self.connected.set()
            elif state == "failed" and not self.closing:
                self.fail("the connection failed")

        @self.pc.on("track")
        def on_track(track) -> None:
            transceiver = self.transceiver_of(track)
            record = {"mid": transceiver.mid, "kind": track.kind, "live": True}
            record.update({k: 0 for k in COUNTS})
            record["reported"] = {k: 0 for k in COUNTS}
            self.tracks[track.id] = record
            self.count_rtp(transceiver.receiver, record)
            self.emit("track", mid=record["mid"], kind=track.kind)
            asyncio.ensure_future(self.decode_frames(track, record))

        @self.pc.on("datachannel")
        def on_datachannel(channel) -> None:
            if channel.label == self.args.datachannel:
                self.attach_channel(channel)

        tasks = [
            asyncio.ensure_future(self.report_media()),
            asyncio.ensure_future(self.report_channel_each_second()),
            asyncio.ensure_future(self.run_script(steps)),
        ]
        if self.role == "offer":
            self.add_sources()
            if self.args.datachannel:
                self.attach_channel(self.pc.createDataChannel(self.args.datachannel))
            await self.pc.setLocalDescription(await self.pc.createOffer())
            await self.send_description()
        tasks.append(asyncio.ensure_future(self.consume_signaling()))
        for task in tasks:
            task.add_done_callback(self.task_done)
        try:
            await asyncio.wait_for(self.done, timeout=self.args.timeout)
        finally:
            for task in tasks:
                task.cancel()

    def task_done(self, task) -> None:
        if not task.cancelled() and task.exception() is not None:
            self.fail(f"{type(task.exception()).__name__}: {task.exception()}")


def main() -> int:
    parser = argparse.ArgumentParser(
        description="An aiortc peer for tacet's interop tests (flags as tacet-peer's)."
    )
    parser.add_argument("role", choices=["offer", "answer"])
    parser.add_argument("--signaling", choices=["tcp-socket"], required=True)
    parser.add_argument("--signaling-host", default="127.0.0.1")
    parser.add_argument("--signaling-port", type=int, required=True)
    parser.add_argument("--send", default="", help="audio,video: aiortc's synthetic tracks")
    parser.add_argument("--datachannel", help="the offerer creates LABEL, the answerer accepts it")
    parser.add_argument("--echo-data", action="store_true", help="echo every message back")
    parser.add_argument("--script", default="", help='e.g. "3s stop video; 8s close"')
    parser.add_argument("--json", action="store_true", help="JSON events, one per line")
    parser.add_argument("--timeout", type=float, default=60.0, help="fail after this long")
    args = parser.parse_args()
    for kind in (k for k in args.send.split(",") if k):
        if kind not in ("audio", "video"):
            parser.error(f"--send takes audio and/or video, not {kind!r}")
    try:
        steps = parse_script(args.script)
    except ScriptError as error:
        parser.error(f"--script: {error}")

    async def run() -> None:
        await Peer(args).run(steps)

    try:
        asyncio.run(run())
    except asyncio.TimeoutError:
        print(f"aiortc_peer: no clean close within {args.timeout} s", file=sys.stderr)
        return 1
    except Exception as error:  # the reason goes to stderr, the status says it failed
        print(f"aiortc_peer: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
