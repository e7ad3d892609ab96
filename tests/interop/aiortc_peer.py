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
    close              tacet-peer's close procedure (end marker, bye, waits; see Peer.close)

It speaks tacet-peer's language so one judge reads both (the contract at the top of
xtask/src/interop.rs): the same JSON events with --json (`t`, `role`, `event` on every line;
connection_state, sdp, track, media, track_ended, datachannel_open, datachannel, action, bye,
closed, ...), the same numbered data-channel messages "<role> <n>" every 50 ms with the end
marker "<role> end <count>", checked as tacet-peer checks them, and the same exit statuses
(0 a clean close, 3 a clean close after a failed scripted action, 1 an error).

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
# The close procedure's waits, tacet-peer's (crates/rtc/src/bin/tacet-peer/live.rs): the
# closer waits this long for the peer's end marker ...
CLOSER_WAIT = 3.0
# ... the side told bye this long for the closer's end marker ...
TOLD_WAIT = 1.5
# ... and then this long for the closer to close the connection.
DRAIN_WAIT = 3.0
# How long the answerer keeps retrying the offerer's signaling port.
CONNECT_PATIENCE = 30.0
# A number further ahead than this is not a message of the stream (tacet-peer's chat.rs).
AHEAD = 1 << 20


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


class Stream:
    """One numbered stream as it arrives, checked as tacet-peer checks it (its chat.rs): loss,
    duplicates and order against the numbers; complete when the end marker has come with
    exactly the count received and nothing is wrong."""

    def __init__(self) -> None:
        self.received = 0
        self.lost = 0
        self.duplicates = 0
        self.out_of_order = 0
        self.end = None
        self.next = 0
        self.seen = set()

    def on(self, n: int) -> bool:
        if n > self.next + AHEAD:
            return False
        if n in self.seen:
            self.duplicates += 1
            return True
        self.seen.add(n)
        self.received += 1
        if n >= self.next:
            self.lost += n - self.next
            self.next = n + 1
        else:
            # Counted lost when a later one came; it is late, not lost.
            self.lost -= 1
            self.out_of_order += 1
        return True

    def complete(self) -> bool:
        return (
            self.end == self.received
            and self.next == self.received
            and self.lost == 0
            and self.duplicates == 0
            and self.out_of_order == 0
        )

    def report(self) -> dict:
        return {
            "received": self.received,
            "lost": self.lost,
            "duplicates": self.duplicates,
            "out_of_order": self.out_of_order,
            "end": self.end,
            "complete": self.complete(),
        }


def read_numbered(text: str):
    """'<origin> <n>' -> (origin, n, False); '<origin> end <count>' -> (origin, count, True);
    anything else -> None."""
    words = text.split(" ")
    if len(words) == 2 and words[0] and words[1].isdigit():
        return words[0], int(words[1]), False
    if len(words) == 3 and words[0] and words[1] == "end" and words[2].isdigit():
        return words[0], int(words[2]), True
    return None


class Peer:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.role = args.role
        self.start = time.monotonic()
        self.pc = RTCPeerConnection()
        self.signaling = TcpSocketSignaling(args.signaling_host, args.signaling_port)
        self.kinds = [k for k in args.send.split(",") if k] if args.send else []
        self.sources = {}
        self.channel = None
        self.ours = False  # the channel is the one --datachannel names: we send on it
        self.sending = None  # the task sending numbered messages
        self.sent = 0
        self.sent_end = False
        self.peer_origin = None
        self.from_peer = Stream()
        self.echoes = Stream()
        self.other = 0
        self.echoed = 0
        self.tracks = {}  # remote track id -> record
        self.failed_actions = 0
        self.connected = asyncio.Event()
        self.changed = asyncio.Event()  # set on anything a close-procedure wait looks at
        self.peer_closed = False
        self.done = asyncio.get_running_loop().create_future()
        self.closing = False

    def emit(self, event: str, **fields) -> None:
        """One event: `t` (seconds since the start), `role` and `event` first, as tacet-peer's
        output.rs; JSON with sorted keys, or a readable line."""
        t = round(time.monotonic() - self.start, 3)
        if self.args.json:
            record = {"t": t, "role": self.role, "event": event, **fields}
            sys.stdout.write(json.dumps(record, sort_keys=True) + "\n")
        else:
            details = " ".join(f"{k}={v}" for k, v in sorted(fields.items()) if k != "sdp")
            sys.stdout.write(f"[{t:8.3f}] {self.role} {event} {details}\n")
        sys.stdout.flush()

    def fail(self, message: str) -> None:
        if not self.done.done():
            self.done.set_exception(RuntimeError(message))

    def notice(self) -> None:
        self.changed.set()

    async def wait_for(self, condition, seconds: float) -> None:
        """Waits until `condition()` holds or `seconds` have passed."""
        deadline = time.monotonic() + seconds
        while not condition():
            left = deadline - time.monotonic()
            if left <= 0:
                return
            self.changed.clear()
            try:
                await asyncio.wait_for(self.changed.wait(), timeout=left)
            except asyncio.TimeoutError:
                return

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
        below decoding)."""
        handle = receiver._handle_rtp_packet

        async def counted(packet, arrival_time_ms):
            record["packets"] += 1
            if record["kind"] == "audio" or packet.marker:
                record["frames"] += 1
            await handle(packet, arrival_time_ms=arrival_time_ms)

        receiver._handle_rtp_packet = counted

    async def drain(self, track, record: dict) -> None:
        """Keeps a recv() pending: aiortc ends a remote track only then (interop-findings §3)."""
        while True:
            try:
                await track.recv()
            except MediaStreamError:
                record["ended"] = True
                self.emit(
                    "track_ended",
                    kind=track.kind,
                    mid=record["mid"],
                    reason="aiortc: recv() raised MediaStreamError (the receiver stopped)",
                    cause="other",
                    frames_total=record["frames"],
                )
                return

    def media(self, record: dict, last: bool) -> dict:
        fields = {
            "direction": "received",
            "kind": record["kind"],
            "mid": record["mid"],
            "frames": record["frames"] - record["reported"][0],
            "packets": record["packets"] - record["reported"][1],
            "frames_total": record["frames"],
            "packets_total": record["packets"],
            "ended": record["ended"],
            "final": last,
        }
        record["reported"] = (record["frames"], record["packets"])
        return fields

    def report(self, last: bool) -> None:
        """tacet-peer's report: a `media` event per live received track (every track when
        `last`), then the `datachannel` event."""
        for record in self.tracks.values():
            if last or not record["ended"]:
                self.emit("media", **self.media(record, last))
        if self.channel is not None:
            self.emit(
                "datachannel",
                label=self.channel.label,
                sent=self.sent,
                sent_end=self.sent_end,
                peer=self.peer_origin,
                from_peer=self.from_peer.report(),
                echoes=self.echoes.report(),
                echoed=self.echoed,
                other=self.other,
                final=last,
            )

    async def report_each_second(self) -> None:
        while True:
            await asyncio.sleep(1.0)
            if not self.closing:
                self.report(last=False)

    # -- data channel -----------------------------------------------------------------------

    def attach_channel(self, channel) -> None:
        if self.channel is not None or self.closing:
            return
        self.channel = channel
        self.ours = channel.label == self.args.datachannel

        def on_open() -> None:
            self.emit("datachannel_open", label=channel.label)
            if self.ours and not self.closing and self.sending is None:
                self.sending = asyncio.ensure_future(self.send_numbered())

        def on_close() -> None:
            self.emit("datachannel_closed", label=channel.label)
            if not self.closing:
                self.fail("the data channel closed before the end")
            self.peer_closed = True
            self.notice()

        if channel.readyState == "open":
            on_open()
        else:
            channel.on("open", on_open)
        channel.on("message", self.on_message)
        channel.on("close", on_close)

    async def send_numbered(self) -> None:
        """'<origin> <n>' every MESSAGE_INTERVAL; the origin is the role, as tacet-peer's."""
        while self.channel.readyState == "open":
            self.channel.send(f"{self.role} {self.sent}")
            self.sent += 1
            await asyncio.sleep(MESSAGE_INTERVAL)

    def on_message(self, message) -> None:
        if isinstance(message, str):
            self.tally(message)
        else:
            self.other += 1
        if self.args.echo_data and self.channel.readyState == "open":
            self.channel.send(message)
            self.echoed += 1
        self.notice()

    def tally(self, text: str) -> None:
        numbered = read_numbered(text)
        if numbered is None:
            self.other += 1
            return
        origin, n, is_end = numbered
        if origin == self.role:
            stream = self.echoes
        else:
            if self.peer_origin is None:
                self.peer_origin = origin
            elif self.peer_origin != origin:
                self.other += 1
                return
            stream = self.from_peer
        if is_end:
            counted = stream.end is None
            if counted:
                stream.end = n
        else:
            counted = stream.on(n)
        if not counted:
            self.other += 1

    async def stop_sending(self) -> None:
        if self.sending is not None:
            self.sending.cancel()
            try:
                await self.sending
            except asyncio.CancelledError:
                pass

    def send_end(self) -> None:
        if self.channel is not None and self.ours and self.channel.readyState == "open":
            self.channel.send(f"{self.role} end {self.sent}")
            self.sent_end = True

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
                asyncio.ensure_future(self.close(closer=False)).add_done_callback(self.task_done)
            elif message is None:
                if not self.closing:
                    self.fail("the signaling connection ended without a bye")
                self.peer_closed = True
                self.notice()
                return

    # -- script and close -------------------------------------------------------------------

    async def run_script(self, steps: list) -> None:
        await self.connected.wait()
        start = time.monotonic()
        for seconds, action in steps:
            await asyncio.sleep(max(0.0, start + seconds - time.monotonic()))
            if self.closing:
                return
            if action == "close":
                await self.close(closer=True)
                return
            began = time.monotonic()
            kind = action.split()[1]
            transceiver = next(
                (
                    t
                    for t in self.pc.getTransceivers()
                    if t.kind == kind and not t.stopped and t.sender.track is not None
                ),
                None,
            )
            fields = {"action": action, "at": seconds}
            if transceiver is None:
                self.failed_actions += 1
                fields.update(ok=False, error=f"no live {kind} transceiver to stop")
            else:
                # aiortc's stop: an RTCP BYE, no SDP change (interop-findings §3).
                await transceiver.stop()
                fields.update(ok=True, mid=transceiver.mid)
            fields["took"] = round(time.monotonic() - began, 3)
            self.emit("action", **fields)

    async def close(self, closer: bool) -> None:
        """tacet-peer's close procedure (its run.rs). The closer stops its messages, sends its
        end marker and the bye, waits for the peer's end marker, closes. The side told bye
        stops its messages, waits for the closer's end marker, sends its own, waits for the
        closer to close, closes."""
        if self.closing:
            return
        self.closing = True
        await self.stop_sending()
        chatting = self.channel is not None
        if closer:
            self.send_end()
            self.emit("bye", direction="sent")
            await self.signaling.send(BYE)
            if chatting:
                await self.wait_for(
                    lambda: self.peer_closed
                    or (
                        (self.peer_origin is None or self.from_peer.end is not None)
                        and (self.echoes.received == 0 or self.echoes.end is not None)
                    ),
                    CLOSER_WAIT,
                )
        elif chatting:
            await self.wait_for(
                lambda: self.peer_closed
                or self.peer_origin is None
                or self.from_peer.end is not None,
                TOLD_WAIT,
            )
            self.send_end()
            await self.wait_for(lambda: self.peer_closed, DRAIN_WAIT)
        await self.pc.close()
        self.report(last=True)
        self.emit("closed", failed_actions=self.failed_actions)
        if not self.done.done():
            self.done.set_result(None)

    async def run(self, steps: list) -> None:
        self.emit(
            "started",
            send=self.kinds,
            datachannel=self.args.datachannel,
            echo_data=self.args.echo_data,
            strict=False,
            polite=False,
            steps=len(steps),
            peer="aiortc",
            version=AIORTC_VERSION,
        )

        @self.pc.on("connectionstatechange")
        def on_state() -> None:
            state = self.pc.connectionState
            self.emit("connection_state", state=state)
            if state == "connected":
                self.connected.set()
            elif state in ("failed", "closed"):
                if state == "failed" and not self.closing:
                    self.fail("the connection failed")
                self.peer_closed = True
                self.notice()

        @self.pc.on("iceconnectionstatechange")
        def on_ice() -> None:
            self.emit("ice_state", state=self.pc.iceConnectionState)

        @self.pc.on("signalingstatechange")
        def on_signaling() -> None:
            self.emit("signaling_state", state=self.pc.signalingState)

        @self.pc.on("track")
        def on_track(track) -> None:
            transceiver = self.transceiver_of(track)
            record = {
                "mid": transceiver.mid,
                "kind": track.kind,
                "ended": False,
                "frames": 0,
                "packets": 0,
                "reported": (0, 0),
            }
            self.tracks[track.id] = record
            self.count_rtp(transceiver.receiver, record)
            self.emit("track", kind=track.kind, mid=record["mid"], streams=[])
            asyncio.ensure_future(self.drain(track, record))

        @self.pc.on("datachannel")
        def on_datachannel(channel) -> None:
            # The label asked for, or any first one when none was (tacet-peer's rule).
            if self.args.datachannel in (None, channel.label):
                self.attach_channel(channel)

        tasks = [
            asyncio.ensure_future(self.report_each_second()),
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
        return self.failed_actions

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

    async def run() -> int:
        return await Peer(args).run(steps)

    try:
        failed_actions = asyncio.run(run())
    except asyncio.TimeoutError:
        print(f"aiortc_peer: no clean close within {args.timeout} s", file=sys.stderr)
        return 1
    except Exception as error:  # the reason goes to stderr, the status says it failed
        print(f"aiortc_peer: {error}", file=sys.stderr)
        return 1
    # tacet-peer's statuses: 0 a clean close, 3 a clean close after a failed scripted action.
    return 3 if failed_actions else 0


if __name__ == "__main__":
    sys.exit(main())
