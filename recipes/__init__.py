"""Named GAN configurations from the literature, as plain data.

Each recipe module holds a `CONFIG` dict (the keys of `keras_gan.runs.DEFAULTS`
that differ from the defaults) and runs itself with `python -m recipes.NAME`.
The engine, networks and training loop live in `keras_gan`; nothing here is
model code. `keras-gan list` shows them all.
"""

import importlib
import pkgutil

_MODULES = sorted(
    name for _, name, is_package in pkgutil.iter_modules(__path__)
    if not name.startswith("_") and not is_package)


def names():
    """The recipe names, sorted."""
    return list(_MODULES)


def get(name):
    """The `CONFIG` dict of recipe `name` (a copy)."""
    import difflib

    if name not in _MODULES:
        close = difflib.get_close_matches(name, _MODULES, n=3)
        hint = f" Did you mean {', '.join(repr(c) for c in close)}?" if close else ""
        raise ValueError(
            f"Unknown recipe {name!r}.{hint} Valid recipes: {', '.join(_MODULES)}.")
    module = importlib.import_module(f"recipes.{name}")
    return {"recipe": name, **module.CONFIG}
