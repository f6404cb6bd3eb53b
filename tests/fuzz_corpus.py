"""A corpus of hostile inputs, written at test time (nothing of it is committed: a gzip bomb
in the repository would be one more thing to trip over).

Each case is one bad input that once sank a whole batch (issue 17), with the words its failure
must contain. :func:`write_corpus` writes every case into a folder, beside one good article,
for the reliability tests (``tests/ingest/test_reliability.py``) to give to ``propos ingest`` and
``propos extract``.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import socket
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

GOOD = ("« Nous ne fermerons pas la piscine », a déclaré jeudi la maire de Villeneuve-sur-Lère, "
        "Claire Dumoutier, devant le conseil municipal.")
GOOD_NAME = "zz-good.txt"
BOMB_INFLATED = 1024**3  # 1 GiB from about 1 MB of gzip


@dataclass(frozen=True)
class Case:
    """One hostile input: its file name, how to write it, and what its failure says.

    ``ingest``/``extract``: the words the failure recorded by that command must contain, or
    None when it is no failure for that command (a name that is not UTF-8 is an article;
    extract reads anything but .jsonl as one text, so a WARC is just text to it).
    ``where``: how the failure's location goes on after the file's name, when it names a line
    or a record (":1": line 1; ":": some line; "#0": the record at offset 0).
    """

    name: str
    write: Callable[[Path], None]
    ingest: str | None
    extract: str | None
    where: str = ""


def _text(data: str) -> Callable[[Path], None]:
    return lambda path: path.write_text(data, encoding="utf-8")


def _gzip_bomb(path: Path, block: bytes, head: bytes = b"", total: int = BOMB_INFLATED) -> None:
    """``head``, then ``block`` repeated to ``total`` bytes, gzipped: one gzip member per
    block (a gzip file may hold many), compressed once, so writing the bomb is instant and
    the test never holds the inflated bytes."""
    member = gzip.compress(block, compresslevel=9)
    with path.open("wb") as out:
        if head:
            out.write(gzip.compress(head))
        for _ in range(total // len(block)):
            out.write(member)


_BLOCK = 4 * 1024 * 1024


def _one_line_bomb(path: Path) -> None:
    """A JSONL line that never ends: ``{"text": "aaaa…`` for 1 GiB."""
    _gzip_bomb(path, b"a" * _BLOCK, head=b'{"id": "bomb", "text": "')


def _many_lines_bomb(path: Path) -> None:
    """The same short article line repeated for 1 GiB: every line valid, the whole a bomb."""
    line = (json.dumps({"text": GOOD.replace("jeudi", "hier")}, ensure_ascii=False)
            + "\n").encode("utf-8")
    _gzip_bomb(path, line * (_BLOCK // len(line)))


def _csv_bomb(path: Path) -> None:
    """A CSV whose text field opens a quote and never closes it, for 1 GiB."""
    _gzip_bomb(path, b"bla bla, " * (_BLOCK // 9), head=b'id,text\n1,"')


def _nested(path: Path) -> None:
    path.write_text('{"id": "deep", "text": ' + "[" * 3000 + "]" * 3000 + "}\n",
                    encoding="utf-8")


def _surrogate(path: Path) -> None:
    # json.dumps writes the lone surrogate as the escape \udfff, as a buggy exporter would.
    path.write_text(json.dumps({"id": "s", "text": "La maire a dit \udfff hier."}) + "\n",
                    encoding="ascii")


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _socket(path: Path) -> None:
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(path))  # left bound: the test process keeps it for the session
    _SOCKETS.append(server)


_SOCKETS: list[socket.socket] = []


def _warc_response(url: str, html: str) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=False)
    headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")],
                               protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record(url, "response", http_headers=headers,
                                                  payload=io.BytesIO(html.encode("utf-8"))))
    return out.getvalue()


WARC_ARTICLE = ("<html><head><title>Piscine</title></head><body><article><p>"
                + GOOD.replace("jeudi", "mardi") + "</p><p>"
                + "La séance a duré trois heures et le budget a été adopté. " * 15
                + "</p></article></body></html>")


def _cut_warc(path: Path) -> None:
    record = _warc_response("https://courrier.example/piscine", WARC_ARTICLE)
    path.write_bytes(record[:len(record) // 2])


def _garbage_warc(path: Path) -> None:
    path.write_bytes(b"WARC/1.0\r\nthis is: not a record\r\ngarbage garbage\r\n\r\n"
                     + b"\x07 nothing here " * 40)


def link_to(target: str) -> Callable[[Path], None]:
    return lambda path: path.symlink_to(target)


CASES: tuple[Case, ...] = (
    Case("surrogate.jsonl", _surrogate, "lone surrogate U+DFFF", "lone surrogate U+DFFF", ":1"),
    Case("raw\udcff.txt", _text(GOOD.replace("jeudi", "vendredi")), None, None),
    Case("bomb-line.jsonl.gz", _one_line_bomb, "decompression bomb", "binary", ":"),
    Case("bomb-lines.jsonl.gz", _many_lines_bomb, "decompression bomb", "binary", ":"),
    Case("bomb.csv.gz", _csv_bomb, "decompression bomb", "binary", ":"),
    Case("zero", link_to("/dev/zero"), "character device", "character device"),
    Case("urandom.txt", link_to("/dev/urandom"), "character device", "character device"),
    Case("pipe.txt", _fifo, "FIFO", "FIFO"),
    Case("sock.txt", _socket, "socket", "socket"),
    Case("nested.jsonl", _nested, "nested too deeply", "nested too deeply", ":1"),
    Case("cut.warc", _cut_warc, "cut short", None, "#0"),
    Case("garbage.warc", _garbage_warc, "malformed WARC record header", None, "#0"),
)


def write_corpus(folder: Path, cases: tuple[Case, ...] = CASES) -> Path:
    """Every case (and the good article, last in sorted order) written into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for case in cases:
        case.write(folder / case.name)
    (folder / GOOD_NAME).write_text(GOOD, encoding="utf-8")
    return folder


def shown(name: str) -> str:
    """A file name as propos shows it: not-UTF-8 bytes escaped (``raw\\xff.txt``)."""
    return os.fsencode(name).decode("utf-8", "backslashreplace")

