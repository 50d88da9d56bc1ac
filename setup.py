"""Build hook (everything else is in pyproject.toml): the Semgrep pack's folder, shipped as
``analyzer.semgrep_rules``, also holds the pack's ``semgrep --test`` targets, and setuptools
would install its ``.py`` targets as modules (with the corpus' fake credentials). The wheel
takes only the rules (package data ``*.yaml``)."""
from setuptools import setup
from setuptools.command.build_py import build_py

PACK = "analyzer.semgrep_rules"


class BuildPy(build_py):
    def find_package_modules(self, package, package_dir):
        if package == PACK:
            return []  # test targets, not modules
        return super().find_package_modules(package, package_dir)


setup(cmdclass={"build_py": BuildPy})
