"""The compiled-resources cache: written once per data version, read back, rebuilt when stale or corrupt."""

from __future__ import annotations

import gc
import shutil
from pathlib import Path

import pytest

from service import compiled, create_app
from service.compiled import Compiled, CompiledCache, data_key
from service.pipeline.gazetteer import Gazetteer
from service.pipeline.world import shipped_world
from service.vocabulary import SERVICE_DIR


class Builder:
    """Counts builds; the real gazetteer, so pickling it for real is part of the test."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self) -> Compiled:
        self.calls += 1
        return Compiled(Gazetteer.load(), shipped_world())


def never_built() -> Compiled:
    raise AssertionError("the cache should have been used")


def test_a_build_is_written_once_and_read_by_the_next_process(tmp_path: Path) -> None:
    builder = Builder()
    first = CompiledCache(tmp_path, "version-1", builder)
    built = first.get()
    assert builder.calls == 1 and first.path is not None and first.path.is_file()

    later = CompiledCache(tmp_path, "version-1", never_built)  # another process, same data
    later.validate()
    loaded = later.get()
    assert loaded is not built
    assert [a.id for a in loaded.gazetteer.actors()] == [a.id for a in built.gazetteer.actors()]
    assert loaded.gazetteer.find_actor("Vladimir Putin") == built.gazetteer.find_actor("Vladimir Putin")
    assert len(loaded.world.tenures) == len(built.world.tenures)


def test_other_data_is_another_version_and_replaces_the_old_file(tmp_path: Path) -> None:
    CompiledCache(tmp_path, "version-1", Builder()).get()
    builder = Builder()
    newer = CompiledCache(tmp_path, "version-2", builder)
    newer.validate()  # the old file does not vouch for this data: it is validated (built) again
    assert builder.calls == 1
    assert [p.name for p in tmp_path.glob("resources-*")] == ["resources-version-2.pickle"]


def test_a_build_that_fails_leaves_garbage_collection_as_it_was(tmp_path: Path) -> None:
    def broken() -> Compiled:
        raise ValueError("a broken resource file")

    assert gc.isenabled()
    with pytest.raises(ValueError, match="broken resource"):
        CompiledCache(tmp_path, "version-1", broken).get()
    assert gc.isenabled()


@pytest.mark.parametrize("content", [b"", b"not a pickle", b"\x80\x05garbage"])
def test_a_corrupt_file_is_rebuilt(tmp_path: Path, content: bytes) -> None:
    cache = CompiledCache(tmp_path, "version-1", Builder())
    assert cache.path is not None
    cache.path.write_bytes(content)
    builder = Builder()
    again = CompiledCache(tmp_path, "version-1", builder)
    again.validate()
    assert builder.calls == 1
    assert CompiledCache(tmp_path, "version-1", never_built).get().gazetteer.actor("russia") is not None


def test_a_file_written_for_other_data_is_not_read(tmp_path: Path) -> None:
    old = CompiledCache(tmp_path, "version-1", Builder())
    old.get()
    assert old.path is not None
    shutil.copy(old.path, tmp_path / "resources-version-2.pickle")  # right name, wrong content
    builder = Builder()
    CompiledCache(tmp_path, "version-2", builder).validate()
    assert builder.calls == 1


def test_no_directory_builds_in_the_process(tmp_path: Path) -> None:
    builder = Builder()
    cache = CompiledCache(None, "version-1", builder)
    cache.validate()
    cache.get()
    assert builder.calls == 1 and not any(tmp_path.iterdir())


def test_the_key_follows_the_data_files(tmp_path: Path) -> None:
    copy = tmp_path / "service"
    for folder in ("pipeline", "resources"):
        shutil.copytree(SERVICE_DIR / folder, copy / folder, ignore=shutil.ignore_patterns("__pycache__"))
    assert data_key(copy) == data_key(SERVICE_DIR)
    actors = copy / "resources" / "actors.yaml"
    actors.write_text(actors.read_text(encoding="utf-8") + "\n# one more line\n", encoding="utf-8")
    assert data_key(copy) != data_key(SERVICE_DIR)


def test_create_app_validates_into_the_configured_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(compiled, "_active", compiled._active)  # restored for the tests after this one
    create_app({"TESTING": True, "AUTO_MIGRATE": False, "RESOURCE_CACHE_DIR": tmp_path})
    assert [p.name for p in tmp_path.glob("resources-*.pickle")] == [f"resources-{data_key()}.pickle"]
    assert compiled.compiled().gazetteer.actor("russia") is not None
