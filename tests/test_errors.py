"""One error root: every exception vcio raises for a person carries the exit status it maps to."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pipeline
from pipeline.errors import ExitStatus, VcioError


def _public_exception_classes():
    for module_info in pkgutil.walk_packages(pipeline.__path__, "pipeline."):
        if module_info.name.endswith("__main__"):
            continue
        module = importlib.import_module(module_info.name)
        for name, cls in vars(module).items():
            if (inspect.isclass(cls) and issubclass(cls, BaseException) and cls.__module__ == module.__name__
                    and not name.startswith("_")):
                yield cls


def test_every_public_exception_of_the_package_derives_from_the_one_root():
    classes = list(_public_exception_classes())
    assert len(classes) >= 15, [c.__name__ for c in classes]
    strays = [f"{c.__module__}.{c.__name__}" for c in classes if not issubclass(c, VcioError)]
    assert strays == []


def test_every_error_class_names_a_real_exit_status_and_none_falls_back_to_internal_by_accident():
    for cls in _public_exception_classes():
        assert isinstance(cls.status, ExitStatus)
        if cls is not VcioError:
            assert cls.status != ExitStatus.INTERNAL, f"{cls.__module__}.{cls.__name__} maps to 'internal error'"
