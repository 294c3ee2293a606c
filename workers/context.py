"""The resources one worker process uses: DB sessions, storage, the queue handle.

Built lazily and once per process id, because Celery's prefork pool forks children and neither a
database pool nor a boto3 client may be shared across a fork.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from dataclasses import dataclass

from celery import Celery
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from store.db import make_engine, make_session_factory
from store.queue import QueueHandle
from store.settings import Settings
from store.storage import Storage, open_storage


@dataclass
class WorkerContext:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    storage: Storage
    queue: QueueHandle


def context_provider(app: Celery, settings: Settings) -> Callable[[], WorkerContext]:
    """A function returning this process's WorkerContext, creating it on first use after a fork."""
    lock = threading.Lock()
    holder: dict[int, WorkerContext] = {}

    def get() -> WorkerContext:
        pid = os.getpid()
        ctx = holder.get(pid)
        if ctx is not None:
            return ctx
        with lock:
            if pid not in holder:
                holder.clear()  # a context inherited from the parent must not be used after fork
                engine = make_engine(settings.database_url)
                holder[pid] = WorkerContext(
                    settings=settings,
                    engine=engine,
                    sessions=make_session_factory(engine),
                    storage=open_storage(settings.storage_url, settings.s3_endpoint_url),
                    queue=QueueHandle(app),
                )
            return holder[pid]

    return get
