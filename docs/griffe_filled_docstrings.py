"""A griffe extension: render the docstrings that ``skw2v._docstrings`` fills.

griffe reads docstrings from the source, where a shared parameter entry is a
``{{name}}`` line. For every class or function whose docstring holds such a
line, this extension takes the docstring Python sees at run time instead, in
which ``fill_doc`` has written the entries. Everything else stays static.
"""

from __future__ import annotations

import inspect
import re

import griffe

_MARKER = re.compile(r"^\s*\{\{\w+\}\}\s*$", re.MULTILINE)


def _documented_objects(obj):
    """Yield ``obj`` and every class or function defined below it."""
    yield obj
    for member in obj.members.values():
        if not member.is_alias and (member.is_module or member.is_class):
            yield from _documented_objects(member)
        elif not member.is_alias and member.is_function:
            yield member


class FilledDocstrings(griffe.Extension):
    """Replace the static docstrings that hold ``{{name}}`` markers."""

    def on_package(self, *, pkg, loader, **kwargs):
        """Swap in the run-time docstrings once the package is loaded."""
        for obj in _documented_objects(pkg):
            static = obj.docstring
            if static is None or not _MARKER.search(static.value):
                continue
            runtime = griffe.dynamic_import(
                obj.path, import_paths=loader.finder.search_paths
            )
            obj.docstring = griffe.Docstring(
                inspect.getdoc(runtime),
                lineno=static.lineno,
                endlineno=static.endlineno,
                parent=obj,
                parser=static.parser,
                parser_options=static.parser_options,
            )
