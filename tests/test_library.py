"""Project-wide rules: ae_core stays a plain library."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_ae_core_never_imports_streamlit():
    code = (
        "import sys, pkgutil, importlib, ae_core\n"
        "for m in pkgutil.walk_packages(ae_core.__path__, 'ae_core.'):\n"
        "    if m.name != 'ae_core.__main__': importlib.import_module(m.name)\n"
        "print(sorted(k for k in sys.modules if k.split('.')[0] == 'streamlit'))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip().splitlines()[-1] == "[]"
