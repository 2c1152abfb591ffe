"""import-linter contract types for the two rules its built-in types cannot say.

``private_modules``: no package imports a private module (``_x``) of another package. A
private module may be imported from inside the package that holds it (at any depth), never from
outside: ``webhooks`` uses ``flows``' public names, not ``flows._model``.

``imported_only_by``: some modules may be imported only from named places, given as module
names or ``fnmatch`` patterns: the built-in business features only from the features themselves
and the bootstrap that enables them; Flask only from the web edge and the features' ``web``
modules.

Both look at direct imports only; import-linter's own layers contract covers indirect ones.
"""

from __future__ import annotations

from fnmatch import fnmatchcase
from typing import Any

from importlinter import Contract, ContractCheck, fields, output


def _within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def _private_parent(module: str) -> str | None:
    """The package owning the first private component of ``module``, if it has one."""
    parts = module.split(".")
    for index, part in enumerate(parts[1:], start=1):
        if part.startswith("_") and not part.startswith("__"):
            return ".".join(parts[:index])
    return None


def _lines(graph: Any, importer: str, imported: str) -> list[str]:
    details = graph.get_import_details(importer=importer, imported=imported)
    return [f"{importer} -> {imported} (l.{d['line_number']})" for d in details]


class PrivateModulesContract(Contract):
    """No module imports a private module of a package it is not inside."""

    containers = fields.ListField(subfield=fields.StringField())

    def check(self, graph: Any, verbose: bool) -> ContractCheck:
        """Collect every direct import of another package's private module."""
        broken: list[str] = []
        for importer in sorted(graph.modules):
            if not any(_within(importer, c) for c in self.containers):  # type: ignore[attr-defined]
                continue
            for imported in sorted(graph.find_modules_directly_imported_by(importer)):
                owner = _private_parent(imported)
                if owner is not None and not _within(importer, owner):
                    broken.extend(_lines(graph, importer, imported))
        return ContractCheck(kept=not broken, metadata={"broken": broken})

    def render_broken_contract(self, check: ContractCheck) -> None:
        """List the offending imports."""
        for line in check.metadata["broken"]:
            output.print_error(line)


class ImportedOnlyByContract(Contract):
    """Modules that only the named importers (module names or fnmatch patterns) may import."""

    modules = fields.ListField(subfield=fields.StringField())
    importers = fields.ListField(subfield=fields.StringField())

    def check(self, graph: Any, verbose: bool) -> ContractCheck:
        """Collect every direct import of ``modules`` from elsewhere."""
        targets = [m for m in self.modules if m in graph.modules]  # type: ignore[attr-defined]
        allowed: list[str] = list(self.importers)  # type: ignore[attr-defined]
        broken: list[str] = []
        for importer in sorted(graph.modules):
            if any(_within(importer, t) for t in targets):
                continue
            if any(_within(importer, a) or fnmatchcase(importer, a) for a in allowed):
                continue
            for imported in sorted(graph.find_modules_directly_imported_by(importer)):
                if any(_within(imported, t) for t in targets):
                    broken.extend(_lines(graph, importer, imported))
        return ContractCheck(kept=not broken, metadata={"broken": broken})

    def render_broken_contract(self, check: ContractCheck) -> None:
        """List the offending imports."""
        for line in check.metadata["broken"]:
            output.print_error(line)
