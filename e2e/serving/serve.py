"""Online predictions over HTTP with the same PredictFunction a Flink job runs (no JVM).

    python e2e/serving/serve.py [--port 8080]          # serves the demo sentiment model
    curl -s localhost:8080/predict -d '{"rows": [{"review": "I love this movie"}]}'
    {"predictions": [[{"label": "positive", "score": 2.0}]]}

POST /predict takes {"rows": [row, ...]} (each row an object by INPUT column name, or an array
in INPUT order) and answers {"predictions": [[output row, ...], ...]}, one list per input row.
A model error answers 422 with the message a Flink job would fail with. GET /health answers ok.
"""
import argparse
import json
import os
import sys
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Optional, Sequence

from pyflink_ml_predict import LocalPredictFunction, PredictionError, load_predict_function

DEMO = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "demo", "model")


def make_server(model: LocalPredictFunction, host: str = "127.0.0.1", port: int = 0) -> HTTPServer:
    """An HTTP server answering predictions from ``model`` (one request at a time)."""
    lock = threading.Lock()  # a PredictFunction is called by one thread at a time, as in Flink

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            if self.path == "/health":
                self._send(200, {"status": "ok", "model": model.config.python_class,
                                 "version": model.model_version})
            else:
                self._send(404, {"error": f"no route {self.path}"})

        def do_POST(self):
            if self.path != "/predict":
                self._send(404, {"error": f"no route {self.path}"})
                return
            try:
                length = int(self.headers.get("Content-Length", "0"))
                rows = json.loads(self.rfile.read(length) or b"{}")["rows"]
            except (ValueError, KeyError, TypeError) as e:
                self._send(400, {"error": f'expected {{"rows": [...]}}: {e}'})
                return
            try:
                with lock:
                    predictions = model.predict_rows(rows)
            except PredictionError as e:
                self._send(422, {"error": str(e)})
                return
            except (ValueError, TypeError) as e:
                self._send(400, {"error": str(e)})
                return
            self._send(200, {"predictions": [[r.as_dict(recursive=True) for r in outputs]
                                             for outputs in predictions]})

        def _send(self, status: int, body: dict) -> None:
            data = json.dumps(body, default=str).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, fmt, *args):  # keep stdout for the operator's own use
            sys.stderr.write("%s %s\n" % (self.address_string(), fmt % args))

    return HTTPServer((host, port), Handler)


def main(argv: Optional[Sequence[str]] = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model-dir", default=DEMO)
    parser.add_argument("--class", dest="predict_class",
                        default="lexicon_sentiment.LexiconSentiment")
    parser.add_argument("--input", default="review STRING")
    parser.add_argument("--output", default="label STRING, score FLOAT")
    parser.add_argument("--property", action="append", default=["threshold=0"])
    parser.add_argument("--model-version", help="'latest' or a number: serve a versioned model"
                        " directory, 'latest' picking up new versions between requests")
    parser.add_argument("--model-update-interval", type=float, default=60.0,
                        help="seconds between looks for a newer version (with 'latest')")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    args = parser.parse_args(argv)
    properties = dict(p.split("=", 1) for p in args.property)
    with load_predict_function(args.model_dir, args.predict_class, args.input, args.output,
                               properties, model_version=args.model_version,
                               model_update_interval_s=args.model_update_interval) as model:
        server = make_server(model, args.host, args.port)
        print(f"serving {args.predict_class} on http://{args.host}:{server.server_port}",
              flush=True)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()


if __name__ == "__main__":
    main()
