#!/usr/bin/env python3
"""A real OpenAI-compatible chat-completions server on loopback, for the writer's tests.

The first path segment picks the behaviour (`/ok/v1/chat/completions`, `/ratelimit-then-ok/...`);
`GET /_requests` returns every request received (headers, body, time) so tests can assert on them.
Prints `PORT <n>` on its first line of stdout, then serves until terminated (or, with
`--exit-on-stdin-eof`, until its stdin closes).
"""
import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SCRIPT = {
    "title": "Ants That Farm Fungus",
    "hook": "These ants have been farming for fifty million years.",
    "scenes": [
        {"narration": "Leafcutter ants do not eat the leaves they carry home in long green parades through the forest.",
         "queries": ["leafcutter ants carrying leaves", "ant trail rainforest"]},
        {"narration": "Underground, they chew every leaf into a soft paste that feeds a huge fungus garden.",
         "queries": ["ant colony underground", "fungus garden close up"]},
        {"narration": "The fungus is their only food, so they weed it, feed it and guard it day and night.",
         "queries": ["ants tending fungus", "macro ants nest"]},
        {"narration": "Some colonies hold millions of workers, and each one has a job, from tiny gardeners to giant soldiers.",
         "queries": ["giant ant colony", "soldier ant macro"]},
        {"narration": "Humans started farming ten thousand years ago. These ants beat us by fifty million years.",
         "queries": ["ancient farming fields", "ants macro close up"]},
    ],
    "description": "Leafcutter ants run the oldest farms on Earth.",
    "hashtags": ["#ants", "#nature", "#science"],
}

BAD_SCRIPT = dict(SCRIPT, scenes=[{"narration": "Ants farm.", "queries": []}])

# The same script in Brazilian Portuguese and in Japanese: text in the language, search phrases in
# English with their translations (`local_queries`) for YouTube.
LOCAL_SCRIPTS = {
    "pt-BR": {
        "title": "Formigas que cultivam fungos",
        "hook": "Essas formigas cultivam o próprio alimento há cinquenta milhões de anos.",
        "scenes": [
            {"narration": "As formigas cortadeiras não comem as folhas que carregam para casa em longas filas verdes pela floresta.",
             "queries": ["leafcutter ants carrying leaves", "ant trail rainforest"],
             "local_queries": ["formigas cortadeiras carregando folhas", "trilha de formigas na floresta"]},
            {"narration": "Debaixo da terra, elas mastigam cada folha até virar uma pasta que alimenta um enorme jardim de fungos.",
             "queries": ["ant colony underground", "fungus garden close up"],
             "local_queries": ["colônia de formigas subterrânea", "jardim de fungos de perto"]},
            {"narration": "O fungo é o único alimento delas, por isso elas o limpam, alimentam e protegem dia e noite.",
             "queries": ["ants tending fungus", "macro ants nest"],
             "local_queries": ["formigas cuidando do fungo", "ninho de formigas macro"]},
            {"narration": "Algumas colônias têm milhões de operárias, e cada uma tem uma função, das pequenas jardineiras aos grandes soldados.",
             "queries": ["giant ant colony", "soldier ant macro"],
             "local_queries": ["colônia gigante de formigas", "formiga soldado macro"]},
            {"narration": "Os humanos começaram a plantar há dez mil anos. Essas formigas chegaram antes, por cinquenta milhões de anos.",
             "queries": ["ancient farming fields", "ants macro close up"],
             "local_queries": ["campos de agricultura antiga", "formigas de perto"]},
        ],
        "description": "As formigas cortadeiras têm as fazendas mais antigas da Terra.",
        "hashtags": ["#formigas", "#natureza", "#ciência"],
    },
    "ja": {
        "title": "キノコを育てるアリ",
        "hook": "このアリたちは、五千万年も前から農業をしています。",
        "scenes": [
            {"narration": "ハキリアリは、運んできた葉を食べるわけではありません。森の中を、緑の葉を持って長い列で歩いていきます。",
             "queries": ["leafcutter ants carrying leaves", "ant trail rainforest"],
             "local_queries": ["ハキリアリ 葉を運ぶ", "アリの行列 熱帯雨林"]},
            {"narration": "地下の巣では、葉をかみ砕いてやわらかいペーストにし、それで大きなキノコの畑を育てています。",
             "queries": ["ant colony underground", "fungus garden close up"],
             "local_queries": ["地下のアリの巣", "キノコ畑 接写"]},
            {"narration": "このキノコがアリたちの唯一の食べ物です。だから毎日、雑草を取り、えさを与え、昼も夜も守っています。",
             "queries": ["ants tending fungus", "macro ants nest"],
             "local_queries": ["キノコの世話をするアリ", "アリの巣 マクロ"]},
            {"narration": "巣には何百万匹もの働きアリがいて、小さな庭師から大きな兵隊まで、それぞれに仕事があります。",
             "queries": ["giant ant colony", "soldier ant macro"],
             "local_queries": ["巨大なアリのコロニー", "兵隊アリ マクロ"]},
            {"narration": "人間が農業を始めたのは一万年前です。このアリたちは、それより五千万年も早かったのです。",
             "queries": ["ancient farming fields", "ants macro close up"],
             "local_queries": ["古代の農地", "アリ 接写"]},
        ],
        "description": "ハキリアリは地球で一番古い農家です。",
        "hashtags": ["#アリ", "#自然", "#科学"],
    },
}

lock = threading.Lock()
requests = []
calls = {}


def content_for(scenario, attempt):
    if scenario in LOCAL_SCRIPTS:
        return json.dumps(LOCAL_SCRIPTS[scenario], ensure_ascii=False)
    if scenario.startswith("english-then-") and scenario[len("english-then-"):] in LOCAL_SCRIPTS:
        return json.dumps(SCRIPT if attempt == 1 else LOCAL_SCRIPTS[scenario[len("english-then-"):]], ensure_ascii=False)
    if scenario == "invalid-json" and attempt == 1:
        return "Sure! Here is your script: {title: ants"
    if scenario == "bad-script-then-ok" and attempt == 1:
        return json.dumps(BAD_SCRIPT)
    if scenario == "always-bad":
        return json.dumps(BAD_SCRIPT)
    return json.dumps(SCRIPT)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status, payload, headers=None):
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if self.path == "/_requests":
            with lock:
                self.reply(200, requests)
            return
        scenario = self.path.strip("/").split("/")[0]
        if self.path.endswith("/models"):
            if scenario == "unauthorized":
                self.reply(401, {"error": {"message": "Invalid API key"}})
            else:
                self.reply(200, {"object": "list", "data": [{"id": "stub-model", "object": "model"}]})
            return
        self.reply(404, {"error": {"message": "not found"}})

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        raw = self.rfile.read(length)
        scenario = self.path.strip("/").split("/")[0]
        try:
            body = json.loads(raw)
        except ValueError:
            body = None
        with lock:
            calls[scenario] = calls.get(scenario, 0) + 1
            attempt = calls[scenario]
            requests.append({
                "scenario": scenario,
                "path": self.path,
                "time": time.time(),
                "headers": {k.lower(): v for k, v in self.headers.items()},
                "body": body,
            })
        if scenario == "ratelimit-then-ok" and attempt == 1:
            self.reply(429, {"error": {"message": "Rate limit exceeded"}}, {"Retry-After": "1"})
            return
        if scenario == "long-ratelimit-then-ok" and attempt == 1:
            self.reply(429, {"error": {"message": "Rate limit exceeded"}}, {"Retry-After": "6"})
            return
        if scenario == "error500" or (scenario == "error500-then-ok" and attempt == 1):
            self.reply(500, {"error": {"message": "upstream exploded"}})
            return
        if scenario == "unauthorized":
            self.reply(401, {"error": {"message": "Invalid API key"}})
            return
        if scenario == "model-rejected":
            self.reply(400, {"error": {"message": "stub-model is not a valid model ID"}})
            return
        if scenario == "no-choices":
            self.reply(200, {"id": "x", "choices": []})
            return
        if scenario == "slow":
            # Far longer than any time limit a test sets, so only the client's limit can end the wait.
            time.sleep(20)
        if scenario == "hang":
            time.sleep(60)
            return
        content = content_for(scenario, attempt)
        usage = {"prompt_tokens": 120, "completion_tokens": 240, "total_tokens": 360}
        if body and body.get("stream"):
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            pieces = [content[i:i + 24] for i in range(0, len(content), 24)]
            delay = 0.04 if scenario.startswith("stream-slow") else 0.25 if scenario == "stream-stalling" else 0.0
            for index, piece in enumerate(pieces):
                chunk = {"id": "c", "choices": [{"index": 0, "delta": {"content": piece}, "finish_reason": None}]}
                if index == len(pieces) - 1:
                    chunk["choices"][0]["finish_reason"] = "stop"
                    chunk["usage"] = usage
                self.write_chunk(b"data: " + json.dumps(chunk).encode() + b"\n\n")
                if delay:
                    time.sleep(delay)
            self.write_chunk(b"data: [DONE]\n\n")
            self.write_chunk(b"")
            return
        self.reply(200, {
            "id": "c",
            "object": "chat.completion",
            "model": (body or {}).get("model", "stub-model"),
            "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
            "usage": usage,
        })

    def write_chunk(self, data):
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        self.wfile.flush()


def exit_when_stdin_closes():
    """With --exit-on-stdin-eof: stop when the test process that holds our stdin is gone (even if it crashed)."""
    sys.stdin.buffer.read()
    os._exit(0)


def main():
    if "--exit-on-stdin-eof" in sys.argv[1:]:
        threading.Thread(target=exit_when_stdin_closes, daemon=True).start()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    print(f"PORT {server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
