"""Keep PyTorch out of a server's start: nothing the portal serves needs it at import time.

Haystack imports torch as soon as any pipeline module is imported, only so that its device
helpers (used by Hugging Face components, which the portal does not use) can describe a GPU.
Importing torch costs seconds of every start and hundreds of megabytes in each backend
worker; the portal needs it only when a torch embedding model is chosen (the optional
`minilm` extra), which imports it itself when it loads.

`keep_torch_out_of_haystack()` makes that one import inside `haystack.utils.device` fail as
if torch were not installed (Haystack then raises its own clear error if a device helper is
ever used). Every other `import torch` works as usual.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import sys
from collections.abc import Sequence
from types import ModuleType

HAYSTACK_DEVICE_MODULE = "haystack.utils.device"
TORCH = "torch"


class _TorchForHaystackFinder(importlib.abc.MetaPathFinder):
    """Refuses `import torch` when it is Haystack's device module asking."""

    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None,
        target: ModuleType | None = None,
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname == TORCH and _imported_by(HAYSTACK_DEVICE_MODULE):
            raise ModuleNotFoundError(
                "torch is loaded only by the parts of the portal that use it", name=TORCH
            )
        return None


def _imported_by(module: str) -> bool:
    """Whether `module`'s own code is executing the import statement being resolved."""
    frame = sys._getframe(1)
    while frame is not None:
        if frame.f_globals.get("__name__") == module:
            return True
        frame = frame.f_back  # type: ignore[assignment]
    return False


def keep_torch_out_of_haystack() -> None:
    """Call before Haystack is first imported (a process's entry point); later calls do nothing."""
    if HAYSTACK_DEVICE_MODULE in sys.modules or TORCH in sys.modules:
        return
    if not any(isinstance(finder, _TorchForHaystackFinder) for finder in sys.meta_path):
        sys.meta_path.insert(0, _TorchForHaystackFinder())
