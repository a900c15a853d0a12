from __future__ import annotations

import pytest

from pipeline.pull import PullOptions, run_pull

from .fakes import FakeAPI, FakeClock
from .world import SECRETS, add_everything, write_workspace


@pytest.fixture
def api():
    with FakeAPI() as fake:
        add_everything(fake)
        yield fake


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def workspace(tmp_path, api):
    """(inputs folder with a roster, vcio.toml pointing every tool at the fake API)."""
    return write_workspace(tmp_path, api)


@pytest.fixture
def pull(workspace, clock):
    inputs, config = workspace

    def run(*tools: str, **options):
        return run_pull(PullOptions(tools=tools, inputs=inputs, config_path=config, timing=clock.timing,
                                    environ=options.pop("environ", SECRETS), **options))
    return run
