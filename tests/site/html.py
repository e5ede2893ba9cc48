"""Read the head of a rendered page the way a crawler does."""

from html.parser import HTMLParser


class HeadParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.meta: dict[str, list[str]] = {}
        self.links: dict[str, list[str]] = {}
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta":
            key = attrs.get("property") or attrs.get("name")
            if key:
                self.meta.setdefault(key, []).append(attrs.get("content", ""))
        elif tag == "link":
            self.links.setdefault(attrs.get("rel", ""), []).append(attrs.get("href", ""))
        elif tag == "title":
            self._in_title = True

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data


def head(response) -> HeadParser:
    parser = HeadParser()
    parser.feed(response.content.decode())
    return parser


def one(values: dict, key: str) -> str:
    """The single value of a tag that must appear exactly once."""
    assert len(values.get(key, [])) == 1, f"{key}: {values.get(key)}"
    return values[key][0]
