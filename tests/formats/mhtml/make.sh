#!/bin/sh
# How chorus.mhtml was made: Chromium (Debian's package, headless) saved our own
# test page tests/pages/001-chorus.html as one file, through the DevTools call
# that "Save page as… Webpage, Single File" makes (Page.captureSnapshot), with
# news.example mapped to a local server. Needs python3's websocket-client. The
# tests need only the file it wrote; run it again to remake it.
set -e
cd "$(dirname "$0")"
out="$PWD/chorus.mhtml"
(cd ../../pages && exec python3 -m http.server 8765 >/dev/null 2>&1) &
server=$!
chromium --headless=new --no-sandbox --disable-gpu --remote-debugging-port=9333 \
    --host-resolver-rules="MAP news.example 127.0.0.1:8765" about:blank >/dev/null 2>&1 &
browser=$!
trap 'kill $server $browser' EXIT
sleep 3
python3 - "$out" <<'PY'
import json, sys, time, urllib.request, websocket
tabs = json.load(urllib.request.urlopen("http://127.0.0.1:9333/json"))
page = next(t for t in tabs if t["type"] == "page")
ws = websocket.create_connection(page["webSocketDebuggerUrl"])
def call(n, method, **params):
    ws.send(json.dumps({"id": n, "method": method, "params": params}))
    while True:
        reply = json.loads(ws.recv())
        if reply.get("id") == n:
            return reply
call(1, "Page.enable")
call(2, "Page.navigate", url="http://news.example/001-chorus.html")
time.sleep(2)
snapshot = call(3, "Page.captureSnapshot", format="mhtml")["result"]["data"]
open(sys.argv[1], "w", newline="").write(snapshot)
PY
