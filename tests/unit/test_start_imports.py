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


def test_the_speaking_pages_services_load_without_scipy_signal():
    """SciPy's signal module (1-2 s to import) loads only when a voice is resampled."""
    check = (
        "import sys\n"
        "from learn_app.services.speaking import attempts, audio, worker\n"
        "print('scipy.signal' in sys.modules)\n"
        "from learn_app.services.speaking import voices\n"
        "import numpy as np\n"
        "print(len(voices._to_16k(np.zeros(4800, dtype=np.float32), 48000)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", check], capture_output=True, text=True, timeout=300, check=False
    )

    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["False", "1600"]
