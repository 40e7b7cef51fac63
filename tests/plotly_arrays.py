"""A figure's numbers as the JSON Dash sends carries them: a list, or plotly's base64 typed array (``bdata``)."""

from __future__ import annotations

import base64

import numpy as np


def as_array(value: object) -> np.ndarray:
    """A figure's array read back as numbers, whichever way it was sent."""
    if isinstance(value, dict) and "bdata" in value:
        return np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"]))
    return np.asarray(value, dtype=float)
