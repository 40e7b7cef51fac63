"""The shape of the code, checked on every test run: the import-linter contracts in pyproject.toml
(``[tool.importlinter]``): layers run one way, no Dash below the UI, SQL only in ``dashboard.store``, and
stats imports nothing of ours but domain. See /work/shared/ARCHITECTURE.md for why.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]


def _lint_imports() -> list[str]:
    script = Path(sys.executable).with_name("lint-imports")
    if script.exists():
        return [str(script)]
    found = shutil.which("lint-imports")
    if found is None:
        pytest.fail('import-linter is not installed: python -m pip install -e ".[test]"')
    return [found]


def test_the_import_contracts_hold():
    result = subprocess.run(
        [*_lint_imports(), "--no-cache", "--no-logo"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if result.returncode != 0:
        pytest.fail(
            "import-linter found imports that break the architecture contracts in pyproject.toml:\n"
            f"{result.stdout}\n{result.stderr}",
            pytrace=False,
        )
