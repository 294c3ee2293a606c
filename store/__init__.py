"""What the API and the workers share: settings, database models and sessions, object storage and
the queue handle. Nothing here imports Flask, Celery tasks or the pipeline's heavy parts."""
