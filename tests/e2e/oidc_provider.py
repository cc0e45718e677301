"""A real OpenID Connect provider for the e2e suite: `oidc-provider-mock` (Authlib under Flask), on 127.0.0.1.

The mock signs ID tokens with RS256, serves discovery and a JWKS, and lets a test pick the user by posting
the authorization form (no browser). It ignores PKCE, so `PKCEEnforcer` wraps it and refuses a token
request whose `code_verifier` does not match the `code_challenge` (S256) sent with the authorization
request: the relying party's PKCE is then really checked, not assumed.
"""
from __future__ import annotations

import base64
import hashlib
import threading
from datetime import timedelta
from urllib.parse import parse_qs, urlparse

import werkzeug.serving
from oidc_provider_mock import User, app as provider_app


class PKCEEnforcer:
    """WSGI middleware: remembers each issued code's challenge and checks the verifier at the token endpoint."""

    def __init__(self, inner):
        self.inner = inner
        self.challenges: dict[str, tuple[str, str]] = {}
        self.refused: list[str] = []
        self.lock = threading.Lock()

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path == "/oauth2/token" and environ.get("REQUEST_METHOD") == "POST":
            return self._token(environ, start_response)
        if path != "/oauth2/authorize":
            return self.inner(environ, start_response)
        query = parse_qs(environ.get("QUERY_STRING", ""))
        challenge = (query.get("code_challenge") or [""])[0]
        method = (query.get("code_challenge_method") or ["plain"])[0]

        def capture(status, headers, exc_info=None):
            for name, value in headers:
                if name.lower() == "location":
                    code = (parse_qs(urlparse(value).query).get("code") or [""])[0]
                    if code:
                        with self.lock:
                            self.challenges[code] = (challenge, method)
            return start_response(status, headers, exc_info)

        return self.inner(environ, capture)

    def _token(self, environ, start_response):
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length)
        form = parse_qs(body.decode())
        code = (form.get("code") or [""])[0]
        verifier = (form.get("code_verifier") or [""])[0]
        with self.lock:
            challenge, method = self.challenges.get(code, ("", "plain"))
        if form.get("grant_type") == ["authorization_code"] and not self._matches(challenge, method, verifier):
            with self.lock:
                self.refused.append(code)
            payload = b'{"error":"invalid_grant","error_description":"PKCE verification failed"}'
            start_response("400 Bad Request", [("Content-Type", "application/json"),
                                               ("Content-Length", str(len(payload)))])
            return [payload]
        import io
        environ["wsgi.input"] = io.BytesIO(body)
        return self.inner(environ, start_response)

    @staticmethod
    def _matches(challenge: str, method: str, verifier: str) -> bool:
        if not challenge or method != "S256" or not (43 <= len(verifier) <= 128):
            return False
        digest = hashlib.sha256(verifier.encode()).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode() == challenge


class OIDCProvider:
    """The provider on a free loopback port, in a background thread of the test process."""

    def __init__(self, token_max_age: timedelta = timedelta(hours=1)):
        self.app = PKCEEnforcer(provider_app(require_nonce=True, access_token_max_age=token_max_age))
        self.server = werkzeug.serving.make_server("127.0.0.1", 0, self.app, threaded=True)
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)

    @property
    def issuer(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}"

    def start(self) -> "OIDCProvider":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.thread.join(5)
        self.server.server_close()

    def set_user(self, sub: str, claims: dict) -> None:
        """Creates or replaces a user at the provider (claims go into the ID token)."""
        import requests
        response = requests.put(f"{self.issuer}/users/{sub}", json=claims, timeout=10)
        response.raise_for_status()


__all__ = ["OIDCProvider", "PKCEEnforcer", "User"]
