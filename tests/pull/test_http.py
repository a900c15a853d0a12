"""The shared client against a local server: retries, back-off, Retry-After, rate limits, timeouts, the total time
limit, redirects without credentials. The clock is fake: nothing here waits for a real back-off."""

from __future__ import annotations

import pytest

from pipeline.pull.errors import Forbidden, PullFailed
from pipeline.pull.http import HttpClient, Policy

from .fakes import FakeAPI, FakeClock, Reply


@pytest.fixture
def server():
    with FakeAPI() as api:
        yield api


def client(clock: FakeClock, **policy) -> HttpClient:
    return HttpClient(Policy(**{"timeout": 5.0, **policy}), clock.timing, ("s3cret-key-123",), "test")


def test_429_waits_as_long_as_retry_after_says(server):
    server.add("GET", "/x", Reply(429, {"error": "slow down"}, {"Retry-After": "7"}), Reply(body={"ok": 1}))
    clock = FakeClock()
    http = client(clock)
    assert http.get(f"{server.url}/x").json() == {"ok": 1}
    assert clock.sleeps == [7.0]
    assert (http.requests, http.retries) == (2, 1)


def test_5xx_backs_off_exponentially_then_succeeds(server):
    server.add("GET", "/x", Reply(500, {}), Reply(502, {}), Reply(503, {}), Reply(body=[1]))
    clock = FakeClock()
    assert client(clock).get(f"{server.url}/x").json() == [1]
    assert clock.sleeps == [2.0, 4.0, 8.0]


def test_gives_up_after_the_retries(server):
    server.add("GET", "/x", Reply(500, {"detail": "down"}))
    clock = FakeClock()
    with pytest.raises(PullFailed, match="HTTP 500, still failing after 2 retries"):
        client(clock, max_retries=2).get(f"{server.url}/x")
    assert clock.sleeps == [2.0, 4.0]


def test_a_slow_answer_times_out_and_is_retried(server):
    server.add("GET", "/x", Reply(body={"late": True}, delay=1.0), Reply(body={"late": False}))
    clock = FakeClock()
    assert client(clock, timeout=0.2).get(f"{server.url}/x").json() == {"late": False}
    assert clock.sleeps == [2.0]


def test_the_total_time_limit_stops_a_pull_that_would_wait_past_it(server):
    server.add("GET", "/x", Reply(429, {}, {"Retry-After": "3600"}))
    clock = FakeClock()
    with pytest.raises(PullFailed, match="would pass the total time limit of 600 s"):
        client(clock, total_timeout=600).get(f"{server.url}/x")
    assert clock.sleeps == []  # it did not wait an hour to find out


def test_the_total_time_limit_counts_every_wait(server):
    server.add("GET", "/x", Reply(503, {}))
    clock = FakeClock()
    with pytest.raises(PullFailed, match="total time limit of 10 s"):
        client(clock, total_timeout=10, max_retries=10).get(f"{server.url}/x")
    assert clock.sleeps == [2.0, 4.0]  # a third wait (8 s) would end after 14 s


def test_the_documented_rate_limit_is_kept_without_a_429(server):
    server.add("GET", "/x", Reply(body={}))
    clock = FakeClock()
    http = client(clock, rate_limit=(3, 60.0))
    for _ in range(4):
        http.get(f"{server.url}/x")
    assert clock.sleeps == [60.0]  # the fourth request waits for the first to leave the window


def test_401_and_403_are_not_retried(server):
    server.add("GET", "/denied", Reply(401, {"error": "invalid_client"}))
    server.add("GET", "/forbidden", Reply(403, {"error": "Authorization_RequestDenied"}))
    clock = FakeClock()
    http = client(clock)
    with pytest.raises(PullFailed, match="HTTP 401, the credentials were refused"):
        http.get(f"{server.url}/denied")
    with pytest.raises(Forbidden):
        http.get(f"{server.url}/forbidden")
    assert clock.sleeps == [] and http.requests == 2


def test_error_messages_never_carry_a_secret(server):
    server.add("GET", "/echo", Reply(400, {"message": "bad key s3cret-key-123 for user"}))
    with pytest.raises(PullFailed) as caught:
        client(FakeClock()).get(f"{server.url}/echo?key=s3cret-key-123")
    assert "s3cret-key-123" not in str(caught.value)
    assert "[redacted]" in str(caught.value)


def test_redirects_are_followed_without_the_authorization_header(server):
    server.add("GET", "/report", Reply(302, b"", {"Location": "/files/report.csv"}))
    server.add("GET", "/files/report.csv", Reply(body=b"a,b\r\n1,2\r\n"))
    http = client(FakeClock())
    answer = http.get(f"{server.url}/report", {"Authorization": "Bearer s3cret-key-123"}, follow_redirect=True)
    assert answer.body == b"a,b\r\n1,2\r\n"
    assert server.hits("GET", "/report")[0].headers["authorization"] == "Bearer s3cret-key-123"
    assert "authorization" not in server.hits("GET", "/files/report.csv")[0].headers


def test_credentials_only_travel_over_https():
    with pytest.raises(PullFailed, match="only sent over https"):
        client(FakeClock()).get("http://api.example.com/v1/things")
