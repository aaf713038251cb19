"""The built API reference shows the signatures' defaults, and no Sphinx role.

The site is built once (``mkdocs build --strict``, as CI does) and its HTML
read back with ``html.parser``. A documented object's defaults appear twice:
in the signature of its heading, which griffe takes from the source, and in
the Default column of its Parameters table, which comes from the docstring
(``name : type, default=...``, or the first value of a ``{...}`` set, which is
how griffe reads numpydoc value sets). Both must equal the default of
``inspect.signature`` for the object, which is the code that runs.

A rendered default matches when it is the default's repr, or a literal equal
to it (``1e-3`` for 0.001, ``"mean"`` for 'mean', ``300_000``), or a name that
holds it in the module that defines the signature (``DEFAULT_TOKEN_PATTERN``).
"""

import ast
import importlib
import inspect
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DIRECTIVE = re.compile(r"^:::\s+([\w.]+)", flags=re.M)
#: A role as the HTML shows it: its backticks kept, or turned into <code>.
SPHINX_ROLE = re.compile(
    r":(?:py:)?(?:class|func|meth|mod|attr|data|obj|exc):(?:`|<code>)"
)
NUMPYDOC_PARAMETERS = re.compile(r"^\s*Parameters\n\s*-{3,}\s*$", flags=re.M)
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """Build the site once, in a fresh process.

    Without ``--quiet``: mkdocs 1.6's ``--quiet`` raises its log level above
    WARNING, so that ``--strict`` no longer sees (nor fails on) any warning.
    """
    pytest.importorskip("mkdocs")
    pytest.importorskip("mkdocstrings_handlers.python")
    site_dir = tmp_path_factory.mktemp("site")
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"]
        + ["--site-dir", str(site_dir)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return site_dir


class _Reference(HTMLParser):
    """The signatures and Parameters tables of mkdocstrings' HTML.

    ``signatures`` maps each object's anchor to the text of the code in its
    heading; ``tables`` maps it to the rows of its Parameters table, each a
    dict from column name ("Name", "Default"...) to the cell's text.
    """

    def __init__(self):
        super().__init__()
        self.signatures: dict[str, str] = {}
        self.tables: dict[str, list[dict[str, str]]] = {}
        self._object = None
        self._heading = None  # (tag, code text parts or None, code depth)
        self._title = None  # text parts of a doc-section-title
        self._next_table_is_parameters = False
        self._table_depth = 0
        self._columns, self._row, self._cell = None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        if tag in HEADINGS and "doc-heading" in classes and attrs.get("id"):
            self._object = attrs["id"]
            self._heading = [tag, None, 0]
        elif tag == "code" and self._heading is not None:
            if self._heading[1] is None and self._object not in self.signatures:
                self._heading[1] = []  # the first code of the heading
            if self._heading[1] is not None:
                self._heading[2] += 1
        elif tag == "span" and "doc-section-title" in classes:
            self._title = []
        elif tag == "table":
            self._table_depth += 1
            if self._table_depth == 1 and self._next_table_is_parameters:
                self._columns = []
                self.tables.setdefault(self._object, [])
            self._next_table_is_parameters = False
        elif self._table_depth == 1 and self._columns is not None:
            if tag == "tr":
                self._row = []
            elif tag in ("td", "th"):
                self._cell = []

    def handle_endtag(self, tag):
        heading = self._heading
        if heading is not None and tag == "code" and heading[1] is not None:
            heading[2] -= 1
            if heading[2] == 0:
                self.signatures[self._object] = "".join(heading[1]).strip()
                heading[1] = None
        elif heading is not None and tag == heading[0]:
            self._heading = None
        elif tag == "span" and self._title is not None:
            title = "".join(self._title).strip()
            self._next_table_is_parameters = title == "Parameters:"
            self._title = None
        elif tag == "table":
            if self._table_depth == 1:
                self._columns = None
            self._table_depth -= 1
        elif self._table_depth == 1 and self._columns is not None:
            if tag in ("td", "th") and self._cell is not None:
                self._row.append(" ".join("".join(self._cell).split()))
                self._cell = None
            elif tag == "tr" and self._row is not None:
                if not self._columns:
                    self._columns = self._row
                else:
                    row = dict(zip(self._columns, self._row, strict=True))
                    self.tables[self._object].append(row)
                self._row = None

    def handle_data(self, data):
        if self._heading is not None and self._heading[1] is not None:
            self._heading[1].append(data)
        if self._title is not None:
            self._title.append(data)
        if self._cell is not None:
            self._cell.append(data)


@pytest.fixture(scope="module")
def reference(site):
    parser = _Reference()
    parser.feed((site / "api" / "index.html").read_text(encoding="utf-8"))
    parser.close()
    return parser


def _documented_names():
    return DIRECTIVE.findall((ROOT / "docs" / "api.md").read_text())


def _resolve(dotted):
    """Return the runtime object, and the class it is an attribute of or None."""
    parts = dotted.split(".")
    for i in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:i]))
            break
        except ModuleNotFoundError:
            continue
    owner = None
    for part in parts[i:]:
        owner = obj if inspect.isclass(obj) else None
        obj = getattr(obj, part)
    return obj, owner


def _signature(dotted):
    """Return the parameters of an object's signature and its module's names.

    Returns None for what has no signature (modules, properties, data).
    """
    obj, owner = _resolve(dotted)
    if not callable(obj) or isinstance(obj, property):
        return None
    parameters = list(inspect.signature(obj).parameters.values())
    if owner is not None:
        raw = inspect.getattr_static(owner, dotted.rsplit(".", 1)[1])
        if inspect.isfunction(raw):  # a method: the site leaves self out too
            parameters = parameters[1:]
    defining = obj.__init__ if inspect.isclass(obj) else obj
    namespace = getattr(inspect.unwrap(defining), "__globals__", None)
    if namespace is None:
        namespace = vars(sys.modules[obj.__module__])
    return {p.name: p for p in parameters}, namespace


def _shows(text, default, namespace):
    """Whether a rendered default is the runtime default."""
    if text == repr(default):
        return True
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError):
        pass
    else:
        return type(value) is type(default) and value == default
    if re.fullmatch(r"[A-Za-z_]\w*(\.[A-Za-z_]\w*)*", text):
        head, *rest = text.split(".")
        if head in namespace:
            value = namespace[head]
            for part in rest:
                value = getattr(value, part, None)
            same_value = type(value) is type(default) and value == default
            return value is default or same_value
    return False


def _objects(reference):
    """(anchor, parameters, namespace) of each documented callable."""
    documented = _documented_names()
    for anchor in reference.signatures:
        if not any(anchor == n or anchor.startswith(n + ".") for n in documented):
            continue
        found = _signature(anchor)
        if found is not None:
            yield anchor, *found


def _parse_signature(text):
    """Return ([(name, default text or None)], vararg names) of a heading."""
    node = ast.parse(f"def _{text[text.index('(') :]}: pass").body[0].args
    positional = node.posonlyargs + node.args
    defaults = [None] * (len(positional) - len(node.defaults)) + node.defaults
    pairs = list(zip(positional, defaults, strict=True))
    pairs += list(zip(node.kwonlyargs, node.kw_defaults, strict=True))
    for star in (node.vararg, node.kwarg):
        if star is not None:
            pairs.append((star, None))
    return [(a.arg, None if d is None else ast.unparse(d)) for a, d in pairs]


def test_the_site_documents_this_checkout():
    import skw2v

    assert Path(skw2v.__file__).resolve().is_relative_to(ROOT), (
        f"skw2v is imported from {skw2v.__file__}, the site is built from {ROOT}"
    )


def test_every_directive_is_rendered(reference):
    missing = [n for n in _documented_names() if n not in reference.signatures]
    assert not missing, f"docs/api.md objects without a heading: {missing}"


def test_signature_defaults_match(reference):
    wrong = []
    for anchor, parameters, namespace in _objects(reference):
        text = reference.signatures[anchor]
        if "(" not in text:
            wrong.append(f"{anchor}: no signature rendered")
            continue
        shown = _parse_signature(text)
        if [name for name, _ in shown] != list(parameters):
            wrong.append(f"{anchor}: renders {text!r}, runs {list(parameters)}")
            continue
        for name, default in shown:
            parameter = parameters[name]
            if default is None:
                if parameter.default is not inspect.Parameter.empty:
                    wrong.append(f"{anchor}({name}): no default, runs {parameter}")
            elif not _shows(default, parameter.default, namespace):
                wrong.append(f"{anchor}({name}): shows {default}, runs {parameter}")
    assert not wrong, "\n".join(wrong)


def test_parameter_table_defaults_match(reference):
    wrong = []
    checked = 0
    for anchor, parameters, namespace in _objects(reference):
        rows = reference.tables.get(anchor)
        obj, _ = _resolve(anchor)
        if rows is None:
            if NUMPYDOC_PARAMETERS.search(inspect.getdoc(obj) or ""):
                wrong.append(f"{anchor}: its Parameters section renders no table")
            continue
        listed = [row["Name"] for row in rows]
        for name, parameter in parameters.items():
            if name not in listed and parameter.kind not in (
                inspect.Parameter.VAR_POSITIONAL,
                inspect.Parameter.VAR_KEYWORD,
            ):
                wrong.append(f"{anchor}({name}): missing from the Parameters table")
        for row in rows:
            name, shown = row["Name"], row["Default"]
            parameter = parameters.get(name.lstrip("*"))
            if parameter is None:
                wrong.append(f"{anchor}({name}): documented, not in the signature")
                continue
            checked += 1
            if shown == "required":
                if parameter.default is not inspect.Parameter.empty:
                    wrong.append(f"{anchor}({name}): shows required, runs {parameter}")
            elif not _shows(shown, parameter.default, namespace):
                wrong.append(f"{anchor}({name}): shows {shown}, runs {parameter}")
    assert checked, "no Parameters table found: has docstring_section_style changed?"
    assert not wrong, "\n".join(wrong)


def test_no_raw_sphinx_roles(site):
    found = [
        f"{page.relative_to(site)}: {html[max(m.start() - 60, 0) : m.end() + 40]!r}"
        for page in sorted(site.rglob("*.html"))
        for html in [page.read_text(encoding="utf-8")]
        for m in SPHINX_ROLE.finditer(html)
    ]
    assert not found, f"{len(found)} Sphinx roles left as text:\n" + "\n".join(found)
