"""A bounded, deterministic fuzz of the import: the sample xlsx, a small ods and a csv mutated at
the byte level and at the XML level (attributes, references, counts, repeats, dimensions,
duplicated and cut elements, declarations, blank space). Every case is read in a child process
under an address-space limit and must end with a result or a Cutline message, never another
exception or a crash, within time and memory bounds. A case that fails names its seed; keep the
file it wrote under tests/fixtures/crashers/ (see make_crashers.py) once it is fixed."""

from __future__ import annotations

import random
import re
import shutil
import zipfile
from pathlib import Path

import pytest

from tests.models import import_files as f
from tests.models.test_import_crashers import ChildReader

# Left out of the fast lane (pytest -m "not slow"): fuzzes the import for many examples.
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
CASES = 300  # 100 per format; about 10 s on the 2-core development machine
SEED = 16
CASE_SECONDS = 10
PEAK_MB = 1024

FAR_REFS = ["XFD1048576", "xfd1048576", "A1048576", "ZZZ999999", "XFD1", "A99999999", "AAAA1", "A0", "1A", ""]
HUGE = ["2000000000", "1048576", "65536", "4294967297", "-1", "99999999999999999999", "x", "0"]


def _base_files(folder: Path) -> dict[str, Path]:
    xlsx = folder / "base.xlsx"
    shutil.copy(ROOT / "resources" / "sample_portfolio.xlsx", xlsx)
    ods = f.write_ods(folder / "base.ods", {"Plan": [f.HEADERS, *f.ROWS], "Notes": [["x"]]})
    csv = f.write_csv(folder / "base.csv", [f.HEADERS, *f.ROWS])
    return {"xlsx": xlsx, "ods": ods, "csv": csv}


# -- byte-level mutations ------------------------------------------------------------------------
def _mutate_bytes(data: bytes, rng: random.Random) -> bytes:
    b = bytearray(data)
    kind = rng.randrange(5)
    if kind == 0:
        for _ in range(rng.randint(1, 16)):
            b[rng.randrange(len(b))] = rng.randrange(256)
    elif kind == 1:
        del b[rng.randrange(len(b)):]
    elif kind == 2:
        pos = rng.randrange(len(b))
        b[pos:pos] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 64)))
    elif kind == 3:
        start = rng.randrange(len(b))
        piece = b[start: start + rng.randint(1, 200)]
        pos = rng.randrange(len(b))
        b[pos:pos] = piece * rng.randint(1, 50)
    else:
        start = rng.randrange(len(b))
        del b[start: start + rng.randint(1, 100)]
    return bytes(b)


# -- XML-level mutations -------------------------------------------------------------------------
def _mutate_xml(xml: bytes, rng: random.Random) -> bytes:
    text = xml.decode("utf-8", "replace")
    kind = rng.randrange(14)
    if kind == 0:  # a cell reference moved far, in some form
        refs = list(re.finditer(r'\br="([A-Z]+\d+)"', text))
        if refs:
            m = rng.choice(refs)
            ref = rng.choice(FAR_REFS)
            form = rng.choice(['r="{}"', "r='{}'", 'r = "{}"', 's="0" r="{}"'])
            text = text[: m.start()] + form.format(ref) + text[m.end():]
    elif kind == 1:  # every reference lower case or single-quoted
        text = re.sub(r'\br="([A-Z]+\d+)"', lambda m: rng.choice([f'r="{m.group(1).lower()}"', f"r='{m.group(1)}'"]), text)
    elif kind == 2:  # counts and repeats made huge
        text = re.sub(r'(uniqueCount|count|number-rows-repeated|number-columns-repeated|spans)="[^"]*"',
                      lambda m: f'{m.group(1)}="{rng.choice(HUGE)}"', text, count=rng.randint(1, 3))
    elif kind == 3:  # a repeat added where there was none
        text = text.replace("<table:table-row>", f'<table:table-row table:number-rows-repeated="{rng.choice(HUGE)}">', 1)
        text = text.replace("<table:table-cell ", f'<table:table-cell table:number-columns-repeated="{rng.choice(HUGE)}" ', 1)
    elif kind == 4:  # the dimension changed
        text = re.sub(r'<dimension ref="[^"]*"', f'<dimension ref="A1:{rng.choice(FAR_REFS)}"', text)
    elif kind == 5:  # an element duplicated many times
        elements = list(re.finditer(r"<(row|si|table:table-row|c)\b[^>]*>.*?</\1>", text, re.S))
        if elements:
            m = rng.choice(elements)
            text = text[: m.end()] + m.group(0) * rng.randint(2, 3000) + text[m.end():]
    elif kind == 6:  # cut short
        text = text[: rng.randrange(max(1, len(text)))]
    elif kind == 7:  # a document type declaration, after a comment
        pos = text.find("?>") + 2 if text.startswith("<?xml") else 0
        text = text[:pos] + "<!--" + "c" * rng.choice([10, 70_000]) + '--><!DOCTYPE x [<!ENTITY a "b">]>' + text[pos:]
    elif kind == 8:  # blank space or text past the limit
        pos = rng.randrange(max(1, len(text)))
        pos = text.rfind(">", 0, pos) + 1
        text = text[:pos] + rng.choice([" ", "a"]) * rng.choice([1000, (1 << 20) + 10]) + text[pos:]
    elif kind == 9:  # references removed
        text = re.sub(r' r="[A-Z]+\d+"', "", text, count=rng.randint(1, 50))
    elif kind == 10:  # a namespace prefix on every element of the main namespace
        text = re.sub(r"<(/?)(worksheet|sheetData|row|c|v|is|t|f)\b", r"<\1x:\2", text)
        text = text.replace('<x:worksheet xmlns="', '<x:worksheet xmlns:x="', 1)
    elif kind == 11:  # a row number changed
        text = re.sub(r'<row r="\d+"', lambda m: f'<row r="{rng.choice(HUGE)}"', text, count=1)
    elif kind == 12:  # attribute values swapped for random junk
        text = re.sub(r'="[^"]*"', lambda m: '="' + rng.choice(['', '&amp;', '<', '"', "\x00", "9" * 40]) + '"'
                      if rng.random() < 0.05 else m.group(0), text)
    else:  # an entity reference and a CDATA section
        text = text.replace("<v>", rng.choice(["<v>&undefined;", "<v><![CDATA[1]]>", "<v>&#0;"]), 1)
    return text.encode("utf-8", "surrogateescape")


def _mutate_zip(path: Path, out: Path, rng: random.Random) -> None:
    with zipfile.ZipFile(path) as zf:
        members = {i.filename: zf.read(i) for i in zf.infolist()}
    xml_names = [n for n in members if n.endswith(".xml")]
    favoured = [n for n in xml_names if "sheet" in n or "sharedStrings" in n or n == "content.xml"]
    for _ in range(rng.randint(1, 2)):
        name = rng.choice(favoured if favoured and rng.random() < 0.8 else xml_names)
        members[name] = _mutate_xml(members[name], rng)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(zipfile.ZipInfo(name) if name == "mimetype" else name, data)


def _mutate_csv(data: bytes, rng: random.Random) -> bytes:
    kind = rng.randrange(4)
    if kind == 0:
        return _mutate_bytes(data, rng)
    if kind == 1:  # a long field, quoted, with separators inside
        return data + b'I-9,"' + b"a," * rng.choice([10, 70_000]) + b'",Data\n'
    if kind == 2:  # unbalanced quotes, NULs, odd line ends
        return data.replace(b",", rng.choice([b',"', b"\x00,", b"\r", b",,,,,,,,"]), rng.randint(1, 20))
    return rng.choice([b"\xff\xfe", b"\xef\xbb\xbf", b"sep=;\n", b""]) + data * rng.randint(1, 100)


def make_case(i: int, bases: dict[str, Path], folder: Path) -> Path:
    rng = random.Random(SEED * 100_000 + i)
    fmt = ("xlsx", "ods", "csv")[i % 3]
    out = folder / f"case{i}.{fmt}"
    base = bases[fmt]
    if fmt == "csv":
        out.write_bytes(_mutate_csv(base.read_bytes(), rng))
    elif rng.random() < 0.3:
        out.write_bytes(_mutate_bytes(base.read_bytes(), rng))
    else:
        _mutate_zip(base, out, rng)
    return out


@pytest.fixture(scope="module")
def reader():
    child = ChildReader()
    yield child
    child.close()


@pytest.mark.parametrize("chunk", range(3))
def test_fuzzed_files_end_with_a_result_or_a_message(reader, tmp_path, chunk):
    bases = _base_files(tmp_path)
    failures = []
    peak = 0.0
    for i in range(chunk, CASES, 3):
        path = make_case(i, bases, tmp_path)
        out = reader.read(path, timeout=CASE_SECONDS * 3)
        peak = max(peak, out.get("peak_mb", 0.0))
        if out["outcome"] not in ("read", "refused") or out["seconds"] > CASE_SECONDS:
            kept = tmp_path / f"failed_case{i}{path.suffix}"
            shutil.copy(path, kept)
            failures.append(f"case {i} (seed {SEED * 100_000 + i}, file {kept}): {out}")
        path.unlink()
    assert not failures, "\n".join(failures)
    assert peak < PEAK_MB, f"the reading child peaked at {peak:.0f} MB"


def test_the_mutations_are_deterministic(tmp_path):
    bases = _base_files(tmp_path)
    a = make_case(4, bases, tmp_path).read_bytes()
    b = make_case(4, bases, tmp_path).read_bytes()
    assert a == b
