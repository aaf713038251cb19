"""Every ```python block of the documentation runs, page by page, in order."""

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGES = sorted((ROOT / "docs").glob("*.md"))
BLOCK = re.compile(r"^```python\n(.*?)^```$", flags=re.S | re.M)
SHELL_BLOCK = re.compile(r"^```bash\n(.*?)^```$", flags=re.S | re.M)
#: Pages whose shell blocks are sessions to run (others show install commands,
#: which CI runs itself).
SHELL_PAGES = ("cli.md",)
#: Optional dependencies a block may import; without them the block's page is
#: skipped through pytest.importorskip, which reports the reason.
OPTIONAL = ("torch", "matplotlib")


def test_every_page_is_in_the_site_navigation():
    nav = (ROOT / "mkdocs.yml").read_text()
    for page in PAGES:
        assert page.name in nav, f"{page.name} is missing from mkdocs.yml's nav"


PAGES_WITH_CODE = [page for page in PAGES if BLOCK.search(page.read_text())]


@pytest.mark.parametrize("page", PAGES_WITH_CODE, ids=[p.name for p in PAGES_WITH_CODE])
def test_code_blocks_run(page, tmp_path):
    """Run a page's blocks, in order, as one script in a fresh process.

    A fresh process in an empty directory is what a reader has: relative paths
    resolve there, also in the worker processes a grid search starts.
    """
    blocks = BLOCK.findall(page.read_text())
    for module in OPTIONAL:
        if any(re.search(rf"^\s*(import|from) {module}\b", b, re.M) for b in blocks):
            pytest.importorskip(module, reason=f"{page.name} needs {module}")
    script = tmp_path / f"{page.stem}.py"
    script.write_text(
        "import warnings\n"
        "warnings.filterwarnings('ignore', message='.*no word in the vocabulary')\n"
        # a failed grid-search fit must fail the page, not become a NaN score
        "warnings.filterwarnings('error', category=UserWarning, "
        "message='.*non-finite')\n" + "\n".join(blocks)
    )
    done = subprocess.run(
        [sys.executable, script.name],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "MPLBACKEND": "Agg"},
    )
    assert done.returncode == 0, f"{page.name}:\n{done.stderr[-3000:]}"


@pytest.mark.parametrize("name", SHELL_PAGES)
def test_shell_sessions_run(name, tmp_path):
    (session,) = SHELL_BLOCK.findall((ROOT / "docs" / name).read_text())
    done = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", session],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "SKW2V_CACHE_DIR": str(tmp_path / "cache")},
    )
    assert done.returncode == 0, done.stderr
    assert "police" in done.stdout  # `similar` printed its table
    assert (tmp_path / "lee.bin").stat().st_size > 0
    assert (
        '"similarity"' in (tmp_path / "scores.json").read_text()
        or (tmp_path / "scores.json").stat().st_size > 0
    )


# The figures the pages quote for defaults and signatures are the code's.

USER_PAGES = [ROOT / "README.md", *PAGES]
#: A default as the pages quote it: "(`sg=0`, the default)", "(`negative=5`,
#: `hs=0`, the default)", "`sample=1e-3` (the default)", "the default
#: `window=5`", "the defaults (`epochs=5`, `sample=1e-3`)".
QUOTED_DEFAULTS = [
    re.compile(r"\(((?:`\w+=[^`]+`,\s*)+)the default\b"),
    re.compile(r"(`\w+=[^`]+`) \(the default\)"),
    re.compile(r"the default (`\w+=[^`]+`)"),
    re.compile(r"the defaults \(((?:`\w+=[^`]+`,?\s*)+)\)"),
]
ASSIGNMENT = re.compile(r"`(\w+)=([^`]+)`")


def _estimators():
    import skw2v

    return [
        skw2v.Word2VecVectorizer,
        skw2v.FastTextVectorizer,
        skw2v.AvgWord2VecTransformer,
        skw2v.PretrainedEmbeddingVectorizer,
        skw2v.EmbeddingSequencer,
        skw2v.Doc2VecVectorizer,
    ]


def _quoted_defaults():
    for page in USER_PAGES:
        text = " ".join(page.read_text().split())  # a quote may span lines
        for pattern in QUOTED_DEFAULTS:
            for match in pattern.finditer(text):
                for name, value in ASSIGNMENT.findall(match.group(1)):
                    yield page.name, name, value


def test_quoted_defaults_are_the_code_defaults():
    """A default quoted is Word2VecVectorizer's, or every estimator's that has it."""
    import inspect

    quoted = list(_quoted_defaults())
    assert len(quoted) >= 8, quoted  # the patterns still find the pages' quotes
    wrong = []
    for page, name, value in quoted:
        owners = [
            estimator
            for estimator in _estimators()
            if name in inspect.signature(estimator).parameters
        ]
        assert owners, f"{page}: `{name}=` is no estimator's parameter"
        if owners[0].__name__ == "Word2VecVectorizer":
            owners = owners[:1]
        for estimator in owners:
            default = inspect.signature(estimator).parameters[name].default
            if ast.literal_eval(value) != default:
                owner = estimator.__name__
                wrong.append(f"{page}: `{name}={value}`, {owner}: {default!r}")
    assert not wrong, "\n".join(wrong)


def test_load_vectors_signature_as_quoted():
    import inspect

    from skw2v import load_vectors

    text = " ".join((ROOT / "docs" / "pretrained.md").read_text().split())
    (quoted,) = re.findall(r"`skw2v\.load_vectors\(([^`]*)\)`", text)
    node = ast.parse(f"def f({quoted}): pass").body[0].args
    shown = [(a.arg, None) for a in node.posonlyargs + node.args]
    shown += [
        (a.arg, ast.literal_eval(d))
        for a, d in zip(node.kwonlyargs, node.kw_defaults, strict=True)
    ]
    runs = [
        (p.name, None if p.default is inspect.Parameter.empty else p.default)
        for p in inspect.signature(load_vectors).parameters.values()
    ]
    assert shown == runs


def test_recommended_setting_is_the_few_labels_one():
    """Each inline `Word2VecVectorizer(sg=1, ..., weighting="sif")` is the curve's."""
    from skw2v._demo import CURVE_WORD2VEC

    found = 0
    for page in USER_PAGES:
        text = " ".join(page.read_text().split())
        for arguments in re.findall(r"`Word2VecVectorizer\(([^()`]*)\)`", text):
            if "sg=1" not in arguments or 'weighting="sif"' not in arguments:
                continue
            call = ast.parse(f"f({arguments})").body[0].value
            quoted = {k.arg: ast.literal_eval(k.value) for k in call.keywords}
            assert quoted == {
                k: v
                for k, v in CURVE_WORD2VEC.items()
                if k not in ("vector_size", "random_state")
            }, f"{page.name}: Word2VecVectorizer({arguments})"
            found += 1
    assert found >= 3


def test_demo_described_as_it_runs():
    from skw2v._demo import DEMO_SEARCH

    text = " ".join((ROOT / "docs" / "index.md").read_text().split())
    dims, epochs, folds = re.search(
        r"(\d+) dimensions, (\d+) epochs, (\d+) folds", text
    ).groups()
    assert (int(dims), int(epochs), int(folds)) == (
        DEMO_SEARCH["vector_size"],
        DEMO_SEARCH["epochs"],
        DEMO_SEARCH["cv"],
    )


def test_token_pattern_as_quoted():
    from skw2v._text import DEFAULT_TOKEN_PATTERN

    text = (ROOT / "docs" / "concepts.md").read_text()
    (quoted,) = re.findall(r'`token_pattern=r"([^"]+)"`', text)
    assert quoted == DEFAULT_TOKEN_PATTERN


def test_pooling_table_defaults():
    """The parameter table of pooling.md: its Default column is every estimator's."""
    import inspect

    rows = re.findall(
        r"^\| `(\w+)`\s*\|[^|]*\|\s*`([^`]+)`\s*\|$",
        (ROOT / "docs" / "pooling.md").read_text(),
        flags=re.M,
    )
    assert len(rows) >= 6, rows
    for name, value in rows:
        for estimator in _estimators()[:4]:
            default = inspect.signature(estimator).parameters[name].default
            assert ast.literal_eval(value) == default, (estimator.__name__, name)
