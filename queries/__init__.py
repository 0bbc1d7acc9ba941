"""The SPARQL queries Vigie runs, one ``.rq`` file each, in the manner of grlc.

Each file starts with a comment header::

    #+ name: company_policies
    #+ summary: Policies issued by one company, with their exceptions
    #+ params: company (IRI)

Parameters are bound as variable substitutions at run time, never pasted into the text.
"""

from __future__ import annotations

from functools import cache
from importlib import resources


@cache
def load_text(name: str) -> str:
    """Text of ``queries/<name>.rq``. Raises ``KeyError`` for an unknown name."""
    if not name.replace("_", "").isalnum():
        raise KeyError(name)
    resource = resources.files(__name__).joinpath(f"{name}.rq")
    if not resource.is_file():
        raise KeyError(name)
    return resource.read_text(encoding="utf-8")
