"""Celery workers: process documents, deliver webhooks, sweep stuck jobs."""
