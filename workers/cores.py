"""Each worker child process gets its own share of the host's cores.

Why: a worker runs `--concurrency` child processes, and OCR in each sizes its threads and its
Tesseract processes by the cores it may use (`pipeline.ocr.engine.cpu_count`, which reads the
process's affinity). Unpinned, every child counts all cores, so N children start N times as many
threads and Tesseract processes as there are cores. Pinned, they share the machine without
overlap; on a GPU host this is also how the cores keep the GPU busy: one process's OCR uses about
4 of 16 cores (its work around the networks is partly Python, under one GIL), so 8 pinned
processes read 16.2 pages/s where one reads 4.3 (H200, 16 cores, docs/ocr.md session 10).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence

log = logging.getLogger(__name__)


def share_of(cores: Sequence[int], index: int, count: int) -> list[int]:
    """The cores of child `index` (0-based) of `count`: every `count`-th core from its index, so
    shares differ by at most one core; all of them when there are fewer cores than children."""
    if count < 2 or len(cores) < count:
        return list(cores)
    return list(cores[index % count :: count])


def pin_child(index: int | None, count: int) -> list[int] | None:
    """Pin this process to its share of the cores it may use now; the cores, or None where the
    host has no affinity call (not Linux) or refuses it, or `index` is None (not a pool child)."""
    if index is None or not hasattr(os, "sched_setaffinity"):
        return None
    cores = share_of(sorted(os.sched_getaffinity(0)), index, count)
    try:
        os.sched_setaffinity(0, cores)
    except OSError as exc:
        log.warning("worker child %d: could not pin to cores %s (%s); it uses them all", index, cores, exc)
        return None
    log.info("worker child %d of %d pinned to cores %s", index, count, cores)
    return cores
