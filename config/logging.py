import logging
import re

# The sender's private links carry their key in the path: never write it to a log.
PRIVATE_PATH = re.compile(r"(/idebank/(?:status|kvittering)/)[^/\s\"']+")


class RedactPrivateLinks(logging.Filter):
    def filter(self, record):
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, dict):
            record.args = {key: redact(value) for key, value in record.args.items()}
        elif record.args:
            record.args = tuple(redact(arg) for arg in record.args)
        return True


def redact(value):
    return PRIVATE_PATH.sub(r"\1…", value) if isinstance(value, str) else value
