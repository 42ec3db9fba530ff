"""The local S3 server starts even when a port it picked is taken before weed binds it."""

import itertools
import socket

from service.local import seaweed


def test_start_retries_with_new_ports_when_one_was_taken_meanwhile(tmp_path, monkeypatch):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        busy = taken.getsockname()[1]
        real_free_port = seaweed.free_port
        picks = itertools.chain([busy], iter(real_free_port, None))
        monkeypatch.setattr(seaweed, "free_port", lambda: next(picks))
        server = seaweed.start(tmp_path / "weed", access_key="k", secret_key="s" * 20)
    try:
        assert server.endpoint_url != f"http://127.0.0.1:{busy}"
        assert server.process.poll() is None
    finally:
        server.stop(graceful=False)
