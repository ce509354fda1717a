"""pip install bindings/python, offline, against an installed library.

`make install DESTDIR=TMP/root` installs the library, headers, pkg-config file
and rules of this build; pkg-config is pointed at them (PKG_CONFIG_PATH and
PKG_CONFIG_SYSROOT_DIR, which prefixes the -I and -L it prints with the root).
A fresh virtual environment (with the system's site-packages, for Debian's
setuptools and wheel: no package index is used) then runs

    pip install --no-build-isolation --no-index COPY_OF_bindings/python

and a clean interpreter of that environment (no PYTHONPATH, no
LD_LIBRARY_PATH: the extension must find the library through its run path)
imports the package and computes one career, e01 of tests/data/cases.

Needs LP_TOP_BUILDDIR and LP_PYTHON_SRCDIR (set by `make check`); it also
checks the layout of the automake install (the whole package in one
directory, the extension inside it).
"""

import glob
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
import unittest

import support

TOP_BUILDDIR = os.environ.get("LP_TOP_BUILDDIR")
PYTHON_SRCDIR = os.environ.get("LP_PYTHON_SRCDIR")

# What the clean interpreter runs. Expected figures: tests/data/cases/e01-pro-rata
# (case.txt: A = 18/40 x 800 = 360.00; B = 24/42 x 920 = 3680/7 = 525.714... -> 525.71).
CAREER = textwrap.dedent("""
    import os, sys
    import portability
    from portability import _portability
    venv = sys.argv[1]
    assert portability.__file__.startswith(venv), portability.__file__
    assert _portability.__file__.startswith(os.path.dirname(portability.__file__)), \\
        _portability.__file__
    with open("/proc/self/maps") as maps:
        libs = {line.split()[-1] for line in maps if "libportability.so" in line}
    print("library:", " ".join(sorted(libs)))
    shipped = portability.RuleSet.load()
    assert shipped.schemes, "no scheme in the installed rules"
    r = portability.calculate(portability.RuleSet.load(sys.argv[2]), sys.argv[3])
    print("XA-STATE", r["XA-STATE"].payable.to_decimal())
    print("XB-STATE", r["XB-STATE"].payable.to_decimal(), r["XB-STATE"].amount("pro-rata").amount)
""")


def run(args, env=None, cwd=None):
    p = subprocess.run(args, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       universal_newlines=True)
    if p.returncode != 0:
        raise AssertionError("%s failed (%d):\n%s" % (" ".join(args), p.returncode, p.stdout))
    return p.stdout


def clean_env(**extra):
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "LD_LIBRARY_PATH", "LD_PRELOAD", "MAKEFLAGS", "MFLAGS",
                        "PKG_CONFIG_PATH", "PKG_CONFIG_SYSROOT_DIR", "LP_RULES_DIR",
                        "VIRTUAL_ENV", "PIP_INDEX_URL", "PIP_FIND_LINKS")}
    env.update(extra)
    return env


def copy_sources(dest):
    """The sources pip needs, copied so that the build writes nothing in the source tree."""
    os.makedirs(os.path.join(dest, "portability"))
    for name in ("pyproject.toml", "setup.py", "_portability.c"):
        shutil.copy(os.path.join(PYTHON_SRCDIR, name), dest)
    for f in glob.glob(os.path.join(PYTHON_SRCDIR, "portability", "*.py")):
        shutil.copy(f, os.path.join(dest, "portability"))


def one(pattern):
    found = glob.glob(pattern, recursive=True)
    if len(found) != 1:
        raise AssertionError("%s: expected one match, found %r" % (pattern, found))
    return found[0]


@unittest.skipUnless(TOP_BUILDDIR and PYTHON_SRCDIR, "run by make check (LP_TOP_BUILDDIR)")
class PipInstall(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="lp-pip-")
        cls.root = os.path.join(cls.tmp, "root")
        make = os.environ.get("MAKE", "make")
        run([make, "-s", "-C", TOP_BUILDDIR, "install", "DESTDIR=" + cls.root], env=clean_env())

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_automake_installs_the_package_in_one_directory(self):
        init = one(os.path.join(self.root, "**", "site-packages", "portability", "__init__.py"))
        package = os.path.dirname(init)
        ext = glob.glob(os.path.join(package, "_portability*.so"))
        self.assertEqual(len(ext), 1, os.listdir(package))
        self.assertEqual(glob.glob(os.path.join(self.root, "**", "site-packages", "_portability*"),
                                   recursive=True), [])

    def test_pip_install_in_a_fresh_venv_computes_a_career(self):
        pc = one(os.path.join(self.root, "**", "pkgconfig", "libportability.pc"))
        rules = one(os.path.join(self.root, "**", "libportability", "rules", "schemes"))
        src = os.path.join(self.tmp, "src")
        copy_sources(src)
        venv = os.path.join(self.tmp, "venv")
        run([sys.executable, "-m", "venv", "--system-site-packages", venv], env=clean_env())
        python = os.path.join(venv, "bin", "python")
        env = clean_env(PKG_CONFIG_PATH=os.path.dirname(pc), PKG_CONFIG_SYSROOT_DIR=self.root,
                        PIP_DISABLE_PIP_VERSION_CHECK="1", PIP_NO_CACHE_DIR="1")
        run([python, "-m", "pip", "install", "-q", "--no-build-isolation", "--no-index", src],
            env=env)
        out = run([python, "-c", CAREER, venv, support.E01_RULES, support.E01_HISTORY],
                  env=clean_env(LP_RULES_DIR=os.path.dirname(rules)), cwd=self.tmp)
        lines = out.splitlines()
        self.assertEqual(lines[0], "library: " + os.path.realpath(
            one(os.path.join(self.root, "**", "libportability.so.*.*.*"))), out)
        self.assertEqual(lines[1:], ["XA-STATE 360.00", "XB-STATE 525.71 3680/7"])


if __name__ == "__main__":
    unittest.main()
