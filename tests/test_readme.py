"""The README's quickstart runs as written."""

import re
import warnings
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_starts_with_the_two_setup_commands():
    blocks = re.findall(r"```bash\n(.*?)```", README.read_text(), flags=re.S)
    assert blocks[:2] == [
        "pip install -e . && python -m skw2v demo\n",
        'pip install -e ".[dev]" && pytest\n',
    ]


def test_quickstart_runs(capsys):
    (code,) = re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.S)[:1]
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*no word in the vocabulary")
        namespace: dict = {}
        exec(compile(code, str(README), "exec"), namespace)
    search = namespace["search"]
    assert set(search.best_params_) == {"features__w2v__sg", "features__w2v__window"}
    assert search.score(namespace["X_test"], namespace["y_test"]) > 0.55
    printed = capsys.readouterr().out
    assert "features__w2v__sg" in printed and "(" in printed
