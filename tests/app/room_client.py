"""A small HTTP client for the room's tests: JSON in and out, on loopback only."""

from __future__ import annotations

import http.client
import json


class RoomClient:
    """Talks to a room's server as its join page does (one keep-alive connection)."""

    def __init__(self, port: int, code: str, host_header: str | None = None, source: str = "127.0.0.1"):
        self.port, self.code, self.token = port, code, ""
        self.host_header = host_header or f"127.0.0.1:{port}"
        self.source = source

    def request(self, method: str, path: str, body: object = None, *, headers: dict | None = None,
                raw: bytes | None = None) -> tuple[int, object]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10, source_address=(self.source, 0))
        try:
            sent = {"Host": self.host_header}
            if self.token:
                sent["Authorization"] = f"Bearer {self.token}"
            data = raw
            if body is not None:
                data = json.dumps(body).encode()
                sent["Content-Type"] = "application/json"
            sent.update(headers or {})
            conn.request(method, path, data, sent)
            response = conn.getresponse()
            text = response.read()
            kind = response.getheader("Content-Type", "")
            return response.status, json.loads(text) if "json" in kind else text
        finally:
            conn.close()

    def api(self, name: str, body: object = None) -> tuple[int, object]:
        return self.request("POST" if body is not None else "GET", f"/api/{self.code}/{name}", body)

    def join(self, name: str, role: str | None = None) -> dict:
        status, answer = self.api("join", {"name": name, "role": role})
        assert status == 200, answer
        self.token = answer["token"]
        return answer

    def rate(self, *entries) -> tuple[int, object]:
        return self.api("rate", {"ratings": [list(e) for e in entries]})
