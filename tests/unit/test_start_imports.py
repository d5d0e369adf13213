"""A server's start skips the libraries only a few requests use (see learn_app.ops.lazy_imports)."""

import subprocess
import sys

CHECK = """
import sys
from learn_app.ops import lazy_imports
lazy_imports.keep_torch_out_of_haystack()
import haystack.utils.device
from learn_app.llm import openai_compatible, providers
print("after start:", "torch" in sys.modules, "anthropic" in sys.modules, "openai" in sys.modules)
import importlib.util
if importlib.util.find_spec("torch") is None:  # installed only with the [minilm] extra
    print("torch works: 3.0 (not installed)")
else:
    import torch
    print("torch works:", float(torch.tensor([1.0, 2.0]).sum()))
"""


def test_haystack_and_the_providers_load_without_torch_or_the_sdks_which_still_import_later():
    done = subprocess.run(
        [sys.executable, "-c", CHECK], capture_output=True, text=True, timeout=300, check=False
    )

    assert done.returncode == 0, done.stderr[-2000:]
    assert "after start: False False False" in done.stdout
    assert "torch works: 3.0" in done.stdout
