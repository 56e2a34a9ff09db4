"""The cache key of the native stock suite's results for `make test`.

baseline_key.py --tests PATH --modules A,B,... [--server-version N] [--extra FILE...]
    prints the key (a SHA-256) on its first line, then what it covers, one
    component per line:
    - Odoo's release (odoo.release.version_info) and the Python version;
    - the PostgreSQL server version (--server-version);
    - the source of Odoo's core (the odoo package: ORM, base, test runner);
    - the source of each module of --modules: `make test` gives those installed
      in the addon's test database but the addon (stock, what it depends on
      and what they auto-install: a superset of the native database's);
    - the tests run (PATH: a folder or a file), when they are outside those;
    - the Python packages installed (pip freeze) and the harness (--extra).
    A change of any of them changes the key, so the baseline is run again.
"""

import argparse
import hashlib
import os
import subprocess
import sys

import odoo
import odoo.release

SKIPPED_DIRS = {"__pycache__", ".git"}


def tree_digest(path):
    """SHA-256 of the names and contents of the files under ``path`` (or of
    the file), compiled Python left out."""
    digest = hashlib.sha256()
    if os.path.isfile(path):
        files = [path]
        root = os.path.dirname(path)
    else:
        root = path
        files = []
        for folder, dirs, names in os.walk(path):
            dirs[:] = sorted(d for d in dirs if d not in SKIPPED_DIRS)
            files += [os.path.join(folder, n) for n in sorted(names) if not n.endswith(".pyc")]
    for name in files:
        digest.update(os.path.relpath(name, root).encode() + b"\0")
        with open(name, "rb") as content:
            for chunk in iter(lambda: content.read(1 << 20), b""):
                digest.update(chunk)
        digest.update(b"\0")
    return digest.hexdigest()


def addons_paths():
    """Where Odoo looks for modules: its addons folder beside the odoo
    package (a source checkout) and odoo/addons."""
    top = os.path.dirname(os.path.dirname(odoo.__file__))
    paths = [os.path.join(top, "addons"), os.path.join(os.path.dirname(odoo.__file__), "addons")]
    return [path for path in paths if os.path.isdir(path)]


def module_folders(modules, paths):
    """{module: folder} of ``modules``, looked up the way Odoo does."""
    found = {}
    for name in modules:
        folder = next(
            (
                os.path.join(path, name)
                for path in paths
                if os.path.isfile(os.path.join(path, name, "__manifest__.py"))
            ),
            None,
        )
        if folder is None:
            sys.exit(f"baseline_key: module {name} not found in {paths}")
        found[name] = folder
    return found


def components(args):
    paths = addons_paths()
    modules = module_folders(sorted(set(args.modules.split(",")) - {""}), paths)
    core = os.path.dirname(odoo.__file__)
    yield "odoo", f"{odoo.release.version} {odoo.release.version_info}"
    yield "python", sys.version.split()[0]
    yield "postgresql", args.server_version or "unknown"
    # odoo/addons holds base and the other server-wide modules: hashed with
    # the core, whichever of them the closure lists
    yield "odoo-core", tree_digest(core)
    for name, folder in sorted(modules.items()):
        if not folder.startswith(core + os.sep):
            yield f"module:{name}", tree_digest(folder)
    tests = os.path.realpath(args.tests)
    inside = any(tests.startswith(os.path.realpath(f) + os.sep) for f in modules.values())
    yield "tests", tests if inside else f"{tests} {tree_digest(tests)}"
    freeze = subprocess.run(
        [sys.executable, "-m", "pip", "freeze", "--all"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    yield "pip-freeze", hashlib.sha256(freeze.encode()).hexdigest()
    for extra in args.extra:
        yield f"harness:{os.path.basename(extra)}", tree_digest(extra)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tests", required=True)
    parser.add_argument("--modules", required=True, help="comma-separated")
    parser.add_argument("--server-version", default="")
    parser.add_argument("--extra", nargs="*", default=[])
    args = parser.parse_args()
    lines = [f"{name} {value}" for name, value in components(args)]
    key = hashlib.sha256("\n".join(lines).encode()).hexdigest()
    sys.stdout.write("\n".join([key, *lines]) + "\n")


if __name__ == "__main__":
    main()
