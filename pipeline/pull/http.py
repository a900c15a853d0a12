"""The one HTTP client every connector uses: retries, back-off, rate limits, a total time limit, no leaked secrets.

Standard library only (urllib), so the core install stays small. Time is injected (``Timing``) so tests never
wait for a real back-off. Credentials go only to https URLs (plain http is allowed for loopback test servers),
and never follow a redirect: a redirected download (Microsoft's usage reports) is fetched without them.
"""

from __future__ import annotations

import json
import logging
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any, Callable, Iterable, Mapping

from .. import __version__
from .errors import Forbidden, NotFound, PullFailed
from .secrets import redact

log = logging.getLogger("vcio.pull")

RETRY_STATUSES = {429, 500, 502, 503, 504}
REDIRECTS = {301, 302, 303, 307, 308}
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


@dataclass(frozen=True)
class Timing:
    """Where the client reads the time and how it waits: replaced by a fake clock in tests."""

    monotonic: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep


@dataclass(frozen=True)
class Policy:
    timeout: float = 60.0  # one request, seconds
    total_timeout: float = 1800.0  # everything one tool (or tenant) pull does
    max_retries: int = 5  # per request, for 429, 5xx and timeouts
    backoff_base: float = 2.0  # 2, 4, 8 ... seconds when the server names no wait
    backoff_max: float = 120.0
    rate_limit: tuple[int, float] | None = None  # (requests, seconds): the vendor's documented ceiling


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes
    url: str

    def json(self) -> Any:
        try:
            return json.loads(self.body.decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise PullFailed(f"{safe_url(self.url)}: the answer is not JSON") from None


def safe_url(url: str) -> str:
    """Scheme, host and path only: query strings carry paging tokens and, for some vendors, user names."""
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


def with_params(url: str, params: Mapping[str, Any] | None) -> str:
    if not params:
        return url
    separator = "&" if urllib.parse.urlsplit(url).query else "?"
    return url + separator + urllib.parse.urlencode({k: v for k, v in params.items() if v is not None}, safe="$,'()")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """urllib would resend our Authorization header to wherever a redirect points: we follow them ourselves."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: D102 - urllib's hook
        return None


@dataclass
class HttpClient:
    policy: Policy = field(default_factory=Policy)
    timing: Timing = field(default_factory=Timing)
    secrets: tuple[str, ...] = ()
    label: str = ""  # the tool (and tenant) in log lines
    requests: int = 0
    retries: int = 0

    def __post_init__(self) -> None:
        self.deadline = self.timing.monotonic() + self.policy.total_timeout
        self._sent: deque[float] = deque()
        self._opener = urllib.request.build_opener(_NoRedirect())

    def add_secret(self, value: str) -> None:
        """Access tokens are secrets too: once issued, they are redacted like the keys that bought them."""
        if value:
            self.secrets = (*self.secrets, value)

    # --- verbs ---------------------------------------------------------------------------------------------
    def get(self, url: str, headers: Mapping[str, str] | None = None, params: Mapping[str, Any] | None = None,
            follow_redirect: bool = False) -> Response:
        return self.request("GET", with_params(url, params), headers, None, follow_redirect)

    def post_form(self, url: str, fields: Mapping[str, str], headers: Mapping[str, str] | None = None) -> Response:
        data = urllib.parse.urlencode(fields).encode("ascii")
        return self.request("POST", url, {**(headers or {}), "Content-Type": "application/x-www-form-urlencoded"},
                            data)

    def post_json(self, url: str, body: Any, headers: Mapping[str, str] | None = None) -> Response:
        data = json.dumps(body).encode("utf-8")
        return self.request("POST", url, {**(headers or {}), "Content-Type": "application/json"}, data)

    # --- the loop ------------------------------------------------------------------------------------------
    def request(self, method: str, url: str, headers: Mapping[str, str] | None, data: bytes | None,
                follow_redirect: bool = False) -> Response:
        check_url(url)
        attempt = 0
        while True:
            self._wait_for_rate_limit()
            try:
                response = self._send(method, url, headers or {}, data)
            except _Retryable as problem:
                attempt += 1
                if attempt > self.policy.max_retries:
                    raise PullFailed(self.redact(f"{method} {safe_url(url)}: {problem.reason}, still failing after "
                                                 f"{self.policy.max_retries} retries")) from None
                wait = problem.retry_after if problem.retry_after is not None else self._backoff(attempt)
                self._sleep_within_deadline(wait, f"{method} {safe_url(url)}: {problem.reason}")
                self.retries += 1
                log.warning("%s: %s from %s; waiting %.0f s (retry %d of %d)", self.label or "pull", problem.reason,
                            safe_url(url), wait, attempt, self.policy.max_retries)
                continue
            if response.status in REDIRECTS and follow_redirect:
                return self._follow(response, method)
            return response

    def _send(self, method: str, url: str, headers: Mapping[str, str], data: bytes | None) -> Response:
        remaining = self.deadline - self.timing.monotonic()
        if remaining <= 0:
            raise PullFailed(f"{method} {safe_url(url)}: the total time limit of "
                             f"{self.policy.total_timeout:.0f} s is used up")
        request = urllib.request.Request(url, data=data, method=method, headers={
            "User-Agent": f"vcio/{__version__}", "Accept": "application/json", **headers})
        self.requests += 1
        try:
            with self._opener.open(request, timeout=min(self.policy.timeout, remaining)) as answer:
                return Response(answer.status, _lower(answer.headers.items()), answer.read(), answer.geturl())
        except urllib.error.HTTPError as error:
            body = _read_quietly(error)
            status = error.code
            headers_in = _lower(error.headers.items()) if error.headers else {}
            if status in REDIRECTS:
                return Response(status, headers_in, body, url)
            if status in RETRY_STATUSES:
                raise _Retryable(f"HTTP {status}", self._retry_after(headers_in)) from None
            raise self._http_error(method, url, status, body) from None
        except (TimeoutError, socket.timeout):
            raise _Retryable("timed out", None) from None
        except urllib.error.URLError as error:
            if isinstance(error.reason, (TimeoutError, socket.timeout)):
                raise _Retryable("timed out", None) from None
            if isinstance(error.reason, ConnectionError):
                raise _Retryable(f"connection failed ({type(error.reason).__name__})", None) from None
            raise PullFailed(self.redact(f"{method} {safe_url(url)}: cannot connect: {error.reason}")) from None
        except ConnectionError as error:
            raise _Retryable(f"connection failed ({type(error).__name__})", None) from None

    def _follow(self, response: Response, method: str) -> Response:
        location = response.headers.get("location")
        if not location:
            raise PullFailed(f"{method} {safe_url(response.url)}: redirect without a Location")
        target = urllib.parse.urljoin(response.url, location)
        # A pre-authenticated download link: our credentials stay home.
        return self.request("GET", target, {"Accept": "*/*"}, None, follow_redirect=False)

    def _http_error(self, method: str, url: str, status: int, body: bytes) -> PullFailed:
        detail = _excerpt(body)
        where = f"{method} {safe_url(url)}"
        if status == 401:
            return PullFailed(self.redact(f"{where}: HTTP 401, the credentials were refused{detail}"))
        if status == 403:
            return Forbidden(self.redact(f"{where}: HTTP 403, not allowed for these credentials or this licence"
                                         f"{detail}"), safe_url(url))
        if status == 404:
            return NotFound(self.redact(f"{where}: HTTP 404, not found{detail}"))
        return PullFailed(self.redact(f"{where}: HTTP {status}{detail}"))

    # --- waiting -------------------------------------------------------------------------------------------
    def _backoff(self, attempt: int) -> float:
        return min(self.policy.backoff_max, self.policy.backoff_base * 2 ** (attempt - 1))

    def _retry_after(self, headers: Mapping[str, str]) -> float | None:
        value = headers.get("retry-after", "").strip()
        if not value:
            return None
        if value.replace(".", "", 1).isdecimal():
            return float(value)
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=timezone.utc)
        return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())

    def _sleep_within_deadline(self, seconds: float, what: str) -> None:
        if self.timing.monotonic() + seconds > self.deadline:
            raise PullFailed(self.redact(f"{what}: waiting {seconds:.0f} s more would pass the total time limit of "
                                         f"{self.policy.total_timeout:.0f} s"))
        self.timing.sleep(seconds)

    def _wait_for_rate_limit(self) -> None:
        if not self.policy.rate_limit:
            return
        count, window = self.policy.rate_limit
        now = self.timing.monotonic()
        while self._sent and self._sent[0] <= now - window:
            self._sent.popleft()
        if len(self._sent) >= count:
            wait = self._sent[0] + window - now
            self._sleep_within_deadline(wait, f"the documented limit of {count} requests in {window:.0f} s")
            now = self.timing.monotonic()
            self._sent.popleft()
        self._sent.append(now)

    def redact(self, text: str) -> str:
        return redact(text, self.secrets)


class _Retryable(Exception):
    def __init__(self, reason: str, retry_after: float | None):
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


def check_url(url: str) -> None:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme == "https" or (parts.scheme == "http" and parts.hostname in LOOPBACK):
        return
    raise PullFailed(f"refusing {safe_url(url)}: credentials are only sent over https")


def _lower(items: Iterable[tuple[str, str]]) -> dict[str, str]:
    return {k.lower(): v for k, v in items}


def _read_quietly(error: urllib.error.HTTPError) -> bytes:
    try:
        return error.read() or b""
    except OSError:
        return b""


def _excerpt(body: bytes) -> str:
    text = " ".join(body.decode("utf-8", "replace").split())[:200]
    return f": {text}" if text else ""
