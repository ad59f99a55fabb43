#!/usr/bin/env python3
"""A loopback server that speaks the Pexels and Pixabay video APIs and serves media made by ffmpeg.

For the footage sources' tests (and benchmarks). Python stdlib only; ffmpeg makes the media once per
`--media-dir` (reused by later starts: the folder is written under a temporary name, then renamed).

Routes:
  GET /videos/search?query=&per_page=&orientation=       Pexels (header `Authorization: KEY`)
  GET /api/videos/?key=&q=&per_page=                       Pixabay
  GET /media/<id>-<w>x<h>.mp4, /media/long.mp4             media (HTTP Range supported)
  GET /thumbs/<id>.jpg, /thumbs/<id>-<n>.jpg               thumbnails
  GET /watch/<id>                                          a page with a JSON-LD VideoObject (for yt-dlp)
  GET /_stats                                              request counts, max in flight, start times
  GET /_control, POST /_control (JSON)                     read or change the switches below
Switches (flags at start, or keys of /_control): --key K (401 unless it matches), --latency-ms N,
--rate-limit N (429 for the first N requests) with --retry-after S, --fail N (500 for the first N;
-1: always), --empty, --truncate (media Content-Length larger than the body), --corrupt (media bytes
are garbage), --stall SECONDS (answer nothing for that long), --stall-body SECONDS (send headers and
part of the body, then stall), --refuse-status N (the status a wrong key gets: 401, the default, or
403), --reset (media and thumbnails: the connection is reset before any answer). Failure switches apply to every route except /_*.
With --prepare-only it makes the media, prints `MEDIA <folder>` and exits (test runs do this once, so
parallel tests do not all run ffmpeg). Prints `PORT <n>` first, then serves until terminated (with --exit-on-stdin-eof: until stdin closes).
"""
import json
import os
import re
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# id, words, portrait?, seconds, lavfi picture source
CATALOGUE = [
    (1001, "a rocket launching at night", True, 3, "testsrc2"),
    (1002, "rocket launch pad smoke", False, 3, "smptebars"),
    (1003, "ocean waves beach sunset", True, 2, "rgbtestsrc"),
    (1004, "city traffic night lights", False, 2, "testsrc"),
    (1005, "forest trees fog morning", True, 3, "color=c=darkgreen"),
    (1006, "ants carrying leaves macro", False, 2, "smptehdbars"),
]
# A larger catalogue (--catalogue bench) for the footage benchmark and the CLIP tests: six topics,
# four clips each. Two per topic show the topic's colour (red, green or blue: the colours the tiny
# test CLIP model knows; the words never name them); two carry the same words over a grey picture
# (decoys that words cannot tell apart but pictures can).
TOPICS = [
    ("rocket launch flame sky", "red"), ("ocean waves water surf", "blue"), ("forest trees leaves moss", "green"),
    ("city street bus traffic", "red"), ("desert cactus dunes sand", "green"), ("snow mountain ice peak", "blue"),
]
BENCH_CATALOGUE = [
    (2000 + 10 * t + n, words, n % 2 == 0, 4 + n, f"color=c={colour if n < 2 else 'gray'}")
    for t, (words, colour) in enumerate(TOPICS) for n in range(4)
]
# A catalogue (--catalogue paraphrase) for the semantic scorer's end-to-end test: each clip that fits a
# scene is described as issue 14 quotes stock sites ("close up of leafcutter ants carrying leaves" for
# "ants that farm fungus", "aerial view of a traffic jam" for "rush hour in the city", "surfer riding a
# huge swell" for "ocean waves"); beside each, a decoy shares a word with the scene's phrase. The site's
# own search finds clips by hidden terms too (SEARCH_TERMS), as real sites do. 3031 is found only by
# the single word "underground": a clip that shares one incidental word with a scene.
PARAPHRASE_CATALOGUE = [
    (3001, "close up of leafcutter ants carrying leaves", True, 3, "testsrc2"),
    (3002, "farm tractor driving across a wheat field", True, 3, "smptebars"),
    (3011, "aerial view of a traffic jam", True, 3, "rgbtestsrc"),
    (3012, "quiet city park with fountains at noon", True, 3, "testsrc"),
    (3021, "surfer riding a huge swell", True, 3, "smptehdbars"),
    (3022, "ocean liner cruise ship deck buffet", True, 3, "color=c=darkblue"),
    (3031, "underground parking garage with flickering lights", True, 3, "color=c=gray"),
]
SEARCH_TERMS = {3001: "ants fungus", 3011: "rush hour traffic", 3021: "ocean waves"}
# Pixabay tags clips with keywords of its own; without an entry here, a clip's tags are the words of
# three letters or more of its description.
PIXABAY_TAGS = {
    3001: "leafcutter ant, insect, leaf, macro", 3002: "tractor, farm, wheat, field",
    3011: "traffic, congestion, cars, highway", 3012: "city, park, fountain, noon",
    3021: "surfer, swell, surfing, sea", 3022: "cruise ship, ocean, deck, buffet",
    3031: "underground, parking, garage, lights",
}
CATALOGUES = {"small": CATALOGUE, "bench": BENCH_CATALOGUE, "paraphrase": PARAPHRASE_CATALOGUE}
MEDIA_VERSION = "footage-stub-media-v3"

lock = threading.Lock()
options = {
    "key": None, "latency_ms": 0, "rate_limit": 0, "retry_after": "1", "fail": 0, "empty": False,
    "truncate": False, "corrupt": False, "stall": 0.0, "stall_body": 0.0, "media_host": None,
    "refuse_status": 401, "reset": False,
}
stats = {"total": 0, "paths": {}, "kinds": {}, "in_flight": {}, "max_in_flight": {}, "starts": {}}
injected = {"rate_limit": 0, "fail": 0}
media_dir = None


def make_media(folder):
    """ffmpeg makes one small clip and one JPEG per catalogue entry, plus a 20 s clip for yt-dlp."""
    def ffmpeg(*args):
        subprocess.run(["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-y", *args], check=True)
    for ident, _, portrait, seconds, source in CATALOGUE:
        size = "360x640" if portrait else "640x360"
        ffmpeg("-f", "lavfi", "-i", f"{source}:size={size}:rate=25:duration={seconds}" if "=" in source else f"{source}=size={size}:rate=25:duration={seconds}",
               "-f", "lavfi", "-i", f"sine=frequency={200 + ident % 100 * 50}:duration={seconds}",
               "-c:v", "libx264", "-preset", "ultrafast", "-g", "25", "-pix_fmt", "yuv420p",
               "-c:a", "aac", "-b:a", "64k", "-shortest", "-movflags", "+faststart",
               os.path.join(folder, f"{ident}.mp4"))
        ffmpeg("-f", "lavfi", "-i", f"{source}:size={size}:rate=1:duration=1" if "=" in source else f"{source}=size={size}:rate=1:duration=1", "-frames:v", "1",
               os.path.join(folder, f"{ident}.jpg"))
    ffmpeg("-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25:duration=20",
           "-f", "lavfi", "-i", "sine=frequency=440:duration=20",
           "-c:v", "libx264", "-preset", "ultrafast", "-g", "25", "-keyint_min", "25", "-pix_fmt", "yuv420p",
           "-c:a", "aac", "-b:a", "64k", "-shortest", "-movflags", "+faststart", os.path.join(folder, "long.mp4"))


def prepare_media(wanted):
    marker = os.path.join(wanted, MEDIA_VERSION)
    if os.path.exists(marker):
        return wanted
    parent = os.path.dirname(os.path.abspath(wanted))
    os.makedirs(parent, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix=".footage-stub-", dir=parent)
    try:
        make_media(tmp)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    open(os.path.join(tmp, MEDIA_VERSION), "w").close()
    if os.path.isdir(wanted) and not os.path.exists(marker):
        shutil.rmtree(wanted, ignore_errors=True)  # left by an older version
    try:
        os.rename(tmp, wanted)
    except OSError:
        # Another stub finished first: use its folder.
        shutil.rmtree(tmp, ignore_errors=True)
    return wanted


def matches(words, query):
    wanted = [w for w in re.split(r"\W+", query.lower()) if w]
    return any(w in words.split() for w in wanted)


def slug(words):
    return "-".join(words.split())


def tags(ident, words):
    return PIXABAY_TAGS.get(ident) or ", ".join(w for w in words.split() if len(w) > 2)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def base(self):
        return f"http://{self.headers.get('Host', '127.0.0.1')}"

    def media_base(self):
        """Where API answers point for media and thumbnails: with --media-host, another name for this
        server, so a client sees the API and its "CDN" as two hosts (as on the real sites)."""
        host = options.get("media_host")
        if not host:
            return self.base()
        port = self.headers.get("Host", "127.0.0.1").rsplit(":", 1)[-1]
        return f"http://{host}:{port}"

    def reply(self, status, payload, headers=None):
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        if self.path != "/_control":
            self.reply(404, {"error": "not found"})
            return
        length = int(self.headers.get("Content-Length", "0"))
        changes = json.loads(self.rfile.read(length) or b"{}")
        with lock:
            options.update(changes)
            if changes.get("reset_stats"):
                options.pop("reset_stats", None)
                reset_stats()
            self.reply(200, options)

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        path, query = url.path, urllib.parse.parse_qs(url.query)
        if path == "/_stats":
            with lock:
                self.reply(200, stats)
            return
        if path == "/_control":
            with lock:
                self.reply(200, options)
            return
        kind = ("pexels" if path == "/videos/search" else "pixabay" if path.startswith("/api/videos")
                else path.strip("/").split("/")[0] or "root")
        with lock:
            stats["total"] += 1
            stats["paths"][path] = stats["paths"].get(path, 0) + 1
            stats["kinds"][kind] = stats["kinds"].get(kind, 0) + 1
            stats["starts"].setdefault(kind, []).append(time.time())
            now = stats["in_flight"].get(kind, 0) + 1
            stats["in_flight"][kind] = now
            stats["max_in_flight"][kind] = max(stats["max_in_flight"].get(kind, 0), now)
            opts = dict(options)
        try:
            self.serve(kind, path, query, opts)
        except (BrokenPipeError, ConnectionResetError):
            pass
        finally:
            with lock:
                stats["in_flight"][kind] -= 1

    def serve(self, kind, path, query, opts):
        if opts["latency_ms"]:
            time.sleep(opts["latency_ms"] / 1000)
        if opts["stall"]:
            time.sleep(float(opts["stall"]))
        with lock:
            if injected["rate_limit"] < int(opts["rate_limit"]):
                injected["rate_limit"] += 1
                limited = True
            else:
                limited = False
            failing = int(opts["fail"]) < 0 or injected["fail"] < int(opts["fail"])
            if failing and not limited:
                injected["fail"] += 1
        if limited:
            self.reply(429, {"error": "Too many requests"}, {"Retry-After": str(opts["retry_after"])})
            return
        if failing:
            self.reply(500, {"error": "upstream exploded"})
            return
        if kind == "pexels":
            if opts["key"] is not None and self.headers.get("Authorization") != opts["key"]:
                self.reply(int(opts["refuse_status"]), {"error": "Authorization field missing or wrong"})
                return
            self.pexels(query, opts)
        elif kind == "pixabay":
            if opts["key"] is not None and query.get("key", [None])[0] != opts["key"]:
                self.reply(int(opts["refuse_status"]), {"error": "[ERROR 400] Invalid or missing API key"})
                return
            self.pixabay(query, opts)
        elif kind in ("media", "thumbs") and opts["reset"]:
            # SO_LINGER with a zero timeout makes close() send a TCP reset instead of a clean end.
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
            self.close_connection = True
        elif kind in ("media", "thumbs"):
            self.file(kind, path, opts)
        elif kind == "watch":
            self.watch(path)
        else:
            self.reply(404, {"error": "not found"})

    def entries(self, text, opts, portrait_only=False):
        if opts["empty"]:
            return []
        found = [e for e in CATALOGUE if matches(e[1] + " " + SEARCH_TERMS.get(e[0], ""), text)]
        return [e for e in found if e[2]] if portrait_only else found

    def pexels(self, query, opts):
        text = query.get("query", [""])[0]
        per_page = int(query.get("per_page", ["15"])[0])
        portrait = query.get("orientation", [""])[0] == "portrait"
        base = self.media_base()
        videos = []
        for ident, words, tall, seconds, _ in self.entries(text, opts, portrait)[:per_page]:
            sizes = ([(360, 640), (540, 960), (720, 1280), (1080, 1920), (1440, 2560), (2160, 3840)] if tall
                     else [(640, 360), (1280, 720), (1920, 1080), (3840, 2160)])
            files = [{"id": ident * 10 + n, "quality": "hd" if min(w, h) >= 720 else "sd", "file_type": "video/mp4",
                      "width": w, "height": h, "fps": 25, "link": f"{base}/media/{ident}-{w}x{h}.mp4"}
                     for n, (w, h) in enumerate(sizes)]
            # A file that is not MP4, at exactly the frame's size: it must never be chosen.
            files.append({"id": ident * 10 + 9, "quality": "hd", "file_type": "video/webm",
                          "width": 1080 if tall else 1920, "height": 1920 if tall else 1080,
                          "link": f"{base}/media/{ident}-webm.webm"})
            w, h = sizes[-1]
            videos.append({
                "id": ident, "width": w, "height": h, "duration": seconds,
                "url": f"https://www.pexels.com/video/{slug(words)}-{ident}/",
                "image": f"{base}/thumbs/{ident}.jpg",
                "user": {"id": 7, "name": f"Author {ident}", "url": "https://www.pexels.com/@author"},
                "video_files": files,
                "video_pictures": [{"id": ident * 10 + n, "nr": n, "picture": f"{base}/thumbs/{ident}-{n}.jpg"} for n in range(2)],
            })
        self.reply(200, {"page": 1, "per_page": per_page, "total_results": len(videos), "videos": videos,
                         "url": f"https://www.pexels.com/search/videos/{urllib.parse.quote(text)}/"})

    def pixabay(self, query, opts):
        text = query.get("q", [""])[0]
        per_page = int(query.get("per_page", ["20"])[0])
        if not 3 <= per_page <= 200:
            self.reply(400, {"error": "[ERROR 400] \"per_page\" is out of valid range."})
            return
        base = self.media_base()
        hits = []
        for ident, words, tall, seconds, _ in self.entries(text, opts)[:per_page]:
            def variant(w, h, empty=False):
                size = (w, h) if not tall else (h, w)
                return {"url": "" if empty else f"{base}/media/{ident}-{size[0]}x{size[1]}.mp4",
                        "width": 0 if empty else size[0], "height": 0 if empty else size[1],
                        "size": 0 if empty else w * h, "thumbnail": f"{base}/thumbs/{ident}.jpg"}
            hits.append({
                "id": ident, "pageURL": f"https://pixabay.com/videos/{slug(words)}-{ident}/", "type": "film",
                "tags": tags(ident, words), "duration": seconds,
                "videos": {"large": variant(1920, 1080, empty=ident == 1005), "medium": variant(1280, 720),
                           "small": variant(960, 540), "tiny": variant(640, 360)},
                "views": 1, "downloads": 1, "likes": 1, "comments": 0, "user_id": 9, "user": f"maker{ident}",
            })
        self.reply(200, {"total": len(hits), "totalHits": len(hits), "hits": hits})

    def watch(self, path):
        ident = path.rstrip("/").split("/")[-1]
        base = self.base()
        ld = {"@context": "https://schema.org", "@type": "VideoObject", "name": f"Test pattern {ident}",
              "description": "A twenty second test pattern with a tone", "duration": "PT20S",
              "contentUrl": f"{base}/media/long.mp4", "thumbnailUrl": [f"{base}/thumbs/1001.jpg"],
              "uploadDate": "2024-01-01"}
        page = (f"<!DOCTYPE html><html><head><title>Test pattern {ident}</title>"
                f"<script type=\"application/ld+json\">{json.dumps(ld)}</script></head>"
                "<body><p>A test pattern.</p></body></html>").encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(page)))
        self.end_headers()
        self.wfile.write(page)

    def file(self, kind, path, opts):
        name = path.rsplit("/", 1)[-1]
        if kind == "media":
            match = re.match(r"^(long|\d+)(?:-\d+x\d+)?\.mp4$", name)
            local = match and os.path.join(media_dir, f"{match.group(1)}.mp4")
            content_type = "video/mp4"
        else:
            match = re.match(r"^(\d+)(?:-\d+)?\.jpg$", name)
            local = match and os.path.join(media_dir, f"{match.group(1)}.jpg")
            content_type = "image/jpeg"
        if not local or not os.path.exists(local):
            self.reply(404, {"error": "no such file"})
            return
        with open(local, "rb") as f:
            data = f.read()
        if opts["corrupt"] and kind == "media":
            data = bytes((i * 7919) % 251 for i in range(len(data)))
        start, end, status = 0, len(data) - 1, 200
        ranged = re.match(r"bytes=(\d*)-(\d*)$", self.headers.get("Range", ""))
        if ranged and (ranged.group(1) or ranged.group(2)):
            if ranged.group(1):
                start = int(ranged.group(1))
                end = min(int(ranged.group(2)), len(data) - 1) if ranged.group(2) else len(data) - 1
            else:
                start = max(len(data) - int(ranged.group(2)), 0)
            if start >= len(data):
                self.send_response(416)
                self.send_header("Content-Range", f"bytes */{len(data)}")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            status = 206
        body = data[start:end + 1]
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Accept-Ranges", "bytes")
        if status == 206:
            self.send_header("Content-Range", f"bytes {start}-{end}/{len(data)}")
        if opts["truncate"] and kind == "media":
            # Promise the whole body, send half, then close: a download that ends early.
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
            return
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if opts["stall_body"]:
            self.wfile.write(body[: len(body) // 4])
            self.wfile.flush()
            time.sleep(float(opts["stall_body"]))
            self.wfile.write(body[len(body) // 4:])
            return
        self.wfile.write(body)


def reset_stats():
    stats.update({"total": 0, "paths": {}, "kinds": {}, "max_in_flight": {}, "starts": {}})
    injected.update({"rate_limit": 0, "fail": 0})


def exit_when_stdin_closes():
    """With --exit-on-stdin-eof: stop when the test process that holds our stdin is gone (even if it crashed)."""
    sys.stdin.buffer.read()
    os._exit(0)


def parse_args(argv):
    flags = {"--key": ("key", str), "--latency-ms": ("latency_ms", int), "--rate-limit": ("rate_limit", int),
             "--retry-after": ("retry_after", str), "--fail": ("fail", int), "--stall": ("stall", float),
             "--stall-body": ("stall_body", float), "--media-host": ("media_host", str),
             "--refuse-status": ("refuse_status", int)}
    switches = {"--empty": "empty", "--truncate": "truncate", "--corrupt": "corrupt", "--reset": "reset"}
    folder = os.path.join(tempfile.gettempdir(), "aishorts-" + MEDIA_VERSION)
    index = 0
    while index < len(argv):
        arg = argv[index]
        if arg in flags:
            name, kind = flags[arg]
            options[name] = kind(argv[index + 1])
            index += 1
        elif arg in switches:
            options[switches[arg]] = True
        elif arg == "--catalogue":
            if argv[index + 1] not in CATALOGUES:
                sys.exit(f"footage_stub: unknown catalogue {argv[index + 1]}")
            CATALOGUE[:] = CATALOGUES[argv[index + 1]]
            if argv[index + 1] != "small":
                folder = os.path.join(tempfile.gettempdir(), f"aishorts-{MEDIA_VERSION}-{argv[index + 1]}")
            index += 1
        elif arg == "--media-dir":
            folder = argv[index + 1]
            index += 1
        elif arg not in ("--exit-on-stdin-eof", "--prepare-only"):
            sys.exit(f"footage_stub: unknown argument {arg}")
        index += 1
    return folder


def main():
    global media_dir
    folder = parse_args(sys.argv[1:])
    if "--exit-on-stdin-eof" in sys.argv[1:]:
        threading.Thread(target=exit_when_stdin_closes, daemon=True).start()
    media_dir = prepare_media(folder)
    if "--prepare-only" in sys.argv[1:]:
        print(f"MEDIA {media_dir}", flush=True)
        return 0
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    print(f"PORT {server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
