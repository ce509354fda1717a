"""Build the extension portability._portability against the installed libportability.

pkg-config (``$PKG_CONFIG``, else ``pkg-config``) gives the compiler and linker
flags of ``libportability`` and its version, which becomes the package's. Point
it at a library installed under a prefix with ``PKG_CONFIG_PATH=PREFIX/lib/pkgconfig``.
The library directories it names (other than the system's) are also written as
the extension's run path, so the module finds that library at run time.
"""

import os
import shlex
import subprocess

from setuptools import Extension, setup

PACKAGE = "libportability"


def pkg_config(*args):
    command = shlex.split(os.environ.get("PKG_CONFIG", "pkg-config"))
    try:
        out = subprocess.run(command + list(args) + [PACKAGE], check=True,
                             stdout=subprocess.PIPE, universal_newlines=True).stdout
    except (OSError, subprocess.CalledProcessError) as exc:
        raise SystemExit("pkg-config cannot find %s (%s): install the library, or set "
                         "PKG_CONFIG_PATH to PREFIX/lib/pkgconfig" % (PACKAGE, exc))
    return shlex.split(out)


def flags(option, prefix):
    return [f[len(prefix):] for f in pkg_config(option) if f.startswith(prefix)]


def extension():
    library_dirs = flags("--libs-only-L", "-L")
    return Extension(
        "portability._portability",
        sources=["_portability.c"],
        include_dirs=flags("--cflags-only-I", "-I"),
        extra_compile_args=[f for f in pkg_config("--cflags-only-other")],
        library_dirs=library_dirs,
        libraries=flags("--libs-only-l", "-l"),
        runtime_library_dirs=library_dirs,
    )


setup(version=pkg_config("--modversion")[0], ext_modules=[extension()])
