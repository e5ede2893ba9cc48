import logging
import re

# The sender's private links carry their key in the path: never write it to a log.
PRIVATE_PATH = re.compile(r"(/idebank/(?:status|kvittering)/)[^/\s\"']+")


class RedactPrivateLinks(logging.Filter):
    def filter(self, record):
        if isinstance(record.msg, str):
            record.msg = PRIVATE_PATH.sub(r"\1…", record.msg)
        if record.args:
            record.args = tuple(
                PRIVATE_PATH.sub(r"\1…", arg) if isinstance(arg, str) else arg
                for arg in (record.args if isinstance(record.args, tuple) else (record.args,))
            )
        return True
