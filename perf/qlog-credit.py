#!/usr/bin/env python3
"""Summarises the transport credit in the relay's qlog traces (moq.relay.quic.qlog.dir): per QUIC connection, how many
streams the peer opened, the stream credit (MAX_STREAMS) and flow-control credit (MAX_DATA, MAX_STREAM_DATA) the
relay gave, the least stream credit the peer had left at any time, and every frame with which the peer said it was
blocked (STREAMS_BLOCKED, DATA_BLOCKED, STREAM_DATA_BLOCKED), and the relay's smoothed RTT estimate to the peer (on
loopback: how late the two ends read and acknowledge). A peer that never sends a *_BLOCKED frame and always had
stream credit left was not waiting for the relay's credit.

Usage: perf/qlog-credit.py QLOG_DIR [--min-uni N]   (connections whose peer opened fewer uni streams are left out)
"""
import json
import os
import sys
from collections import Counter, defaultdict

RS = "\x1e"


def events(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    for record in text.split(RS):
        record = record.strip()
        if not record:
            continue
        try:
            yield json.loads(record)
        except json.JSONDecodeError:
            continue  # a record cut short when the connection closed


def kind(frame):
    return frame.get("frame_type") or frame.get("type")


def stream_type(frame):
    return "uni" if str(frame.get("stream_type", "")).startswith("uni") else "bidi"


def summarise(path):
    local_params = {}
    sent = Counter()
    received = Counter()
    blocked = []  # (time ms, frame)
    max_streams_uni = []  # (time, maximum) sent by the relay
    peer_uni_ids = set()
    uni_opened_at = {}  # stream id -> time first seen
    rtts = []  # the relay's smoothed RTT to the peer: on loopback, how late each side reads and acks
    t0 = None
    t_last = 0.0
    for ev in events(path):
        name = ev.get("name") or ""
        t = ev.get("time")
        if t is None:
            continue
        t = float(t)
        t0 = t if t0 is None else t0
        t_last = t
        data = ev.get("data") or {}
        if name.endswith("metrics_updated") and data.get("smoothed_rtt") is not None:
            rtts.append(float(data["smoothed_rtt"]))
        if name.endswith("parameters_set") and "local" in (data.get("owner"), data.get("initiator")):
            local_params = data
        if not (name.endswith("packet_received") or name.endswith("packet_sent")):
            continue
        incoming = name.endswith("packet_received")
        for frame in data.get("frames") or []:
            k = kind(frame)
            (received if incoming else sent)[k] += 1
            if incoming and k in ("streams_blocked", "data_blocked", "stream_data_blocked"):
                blocked.append((t, frame))
            if incoming and k == "stream":
                sid = int(frame.get("stream_id", -1))
                if sid % 4 == 2 and sid not in uni_opened_at:  # client-initiated unidirectional
                    uni_opened_at[sid] = t
                    peer_uni_ids.add(sid)
            if not incoming and k == "max_streams" and stream_type(frame) == "uni":
                max_streams_uni.append((t, int(frame.get("maximum", 0))))
    initial_uni = int(local_params.get("initial_max_streams_uni", 0) or 0)
    # Streams the peer had opened by each moment: a stream id n means (n - 2) / 4 + 1 streams (lower ids count as opened).
    openings = sorted((t, (sid - 2) // 4 + 1) for sid, t in uni_opened_at.items())
    granted = sorted(max_streams_uni)
    least_left = None
    least_left_at = None
    limit = initial_uni
    gi = 0
    opened_high = 0
    for t, count in openings:
        while gi < len(granted) and granted[gi][0] <= t:
            limit = max(limit, granted[gi][1])
            gi += 1
        opened_high = max(opened_high, count)
        left = limit - opened_high
        if least_left is None or left < least_left:
            least_left, least_left_at = left, t
    per_second = Counter(int((t - t0) / 1000) for t in uni_opened_at.values()) if t0 is not None else Counter()
    return {
        "file": os.path.basename(path),
        "seconds": round((t_last - (t0 or 0)) / 1000, 1),
        "peer_uni_streams": len(peer_uni_ids),
        "peer_uni_streams_per_second_max": max(per_second.values()) if per_second else 0,
        "initial_max_streams_uni": initial_uni,
        "max_streams_uni_sent": len(max_streams_uni),
        "max_streams_uni_last": max_streams_uni[-1][1] if max_streams_uni else None,
        "least_uni_credit_left": least_left,
        "least_uni_credit_left_at_s": round((least_left_at - t0) / 1000, 2) if least_left_at is not None else None,
        "blocked_frames_received": dict(Counter(kind(f) + ("/" + stream_type(f) if kind(f) == "streams_blocked" else "")
                                                for _, f in blocked)),
        "blocked_first": [(round((t - t0) / 1000, 2), f) for t, f in blocked[:3]],
        "smoothed_rtt_ms_p50": round(sorted(rtts)[len(rtts) // 2], 1) if rtts else None,
        "smoothed_rtt_ms_max": round(max(rtts), 1) if rtts else None,
        "max_data_sent": sent["max_data"],
        "max_stream_data_sent": sent["max_stream_data"],
        "frames_received": dict(received.most_common(8)),
    }


def main():
    args = sys.argv[1:]
    if not args:
        print(__doc__)
        sys.exit(2)
    min_uni = 0
    if "--min-uni" in args:
        i = args.index("--min-uni")
        min_uni = int(args[i + 1])
        del args[i:i + 2]
    directory = args[0]
    files = sorted(os.path.join(directory, f) for f in os.listdir(directory) if "qlog" in f)
    totals = defaultdict(int)
    for path in files:
        s = summarise(path)
        if s["peer_uni_streams"] < min_uni:
            continue
        totals["connections"] += 1
        totals["blocked"] += sum(s["blocked_frames_received"].values())
        print(json.dumps(s))
    print(json.dumps({"summary": dict(totals), "files": len(files)}))


if __name__ == "__main__":
    main()
