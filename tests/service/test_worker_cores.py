"""A worker's child processes each get their own share of the cores (workers/cores.py)."""

from __future__ import annotations

import os
import re

import pytest

from tests.service.conftest import wait_for
from workers.cores import share_of

pytestmark = pytest.mark.service


def test_shares_cover_the_cores_once() -> None:
    cores = [0, 1, 2, 3, 4, 5, 6]
    shares = [share_of(cores, i, 3) for i in range(3)]
    assert shares == [[0, 3, 6], [1, 4], [2, 5]]
    assert share_of(cores, 0, 1) == cores  # one child: all of them
    assert share_of([0, 1], 1, 4) == [0, 1]  # more children than cores: no pinning


@pytest.mark.skipif(not hasattr(os, "sched_getaffinity") or len(os.sched_getaffinity(0)) < 2,
                    reason="needs two cores to share")
def test_worker_children_are_pinned_to_disjoint_cores(worker) -> None:  # type: ignore[no-untyped-def]
    pattern = re.compile(r"worker child (\d+) of 2 pinned to cores \[([\d, ]+)\]")

    def found() -> dict[str, str] | None:
        pinned = dict(pattern.findall(worker.log.read_text(errors="replace")))
        return pinned if len(pinned) >= 2 else None

    pinned = wait_for(found, 30, "the worker's children saying which cores they have", worker)
    shares = {int(i): {int(c) for c in cores.split(",")} for i, cores in pinned.items()}
    assert set(shares) == {0, 1}
    assert shares[0].isdisjoint(shares[1])
    assert shares[0] | shares[1] == set(os.sched_getaffinity(0))
