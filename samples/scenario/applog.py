"""The demo programs' own application log: one JSON object per line, appended atomically."""
import datetime
import json
import os

LOG_PATH = os.environ.get("DEMO_APP_LOG", "app-log.jsonl")


def log(program, event, **fields):
    record = {
        "ts": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="microseconds").replace("+00:00", "Z"),
        "program": program,
        "pid": os.getpid(),
        "event": event,
        **fields,
    }
    # One write() per line with O_APPEND, so lines from several processes never interleave.
    fd = os.open(LOG_PATH, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, (json.dumps(record) + "\n").encode())
    finally:
        os.close(fd)
