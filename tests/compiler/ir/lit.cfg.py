# SPDX-License-Identifier: GPL-2.0-only
# lit configuration of the IR-level tests of the kcov-ext plugin.
import os

import lit.formats

config.name = "kcov-ext-ir"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".ll", ".c", ".cc"]
config.excludes = ["Inputs"]
config.test_source_root = os.path.dirname(__file__)

build = os.path.abspath(lit_config.params["build"])
config.test_exec_root = os.path.join(build, "tests", "compiler", "ir")
plugin = os.path.join(build, "lib", "kcov-ext", "kcov-entry-exit.so")
clang = lit_config.params.get("clang", "clang-22")
clangxx = lit_config.params.get("clangxx", "clang++-22")
llvm_bindir = lit_config.params.get("llvm_bindir", "/usr/lib/llvm-22/bin")

config.environment["PATH"] = os.pathsep.join(
    [llvm_bindir, os.path.join(build, "bin"), config.environment.get("PATH", os.environ["PATH"])])
config.environment["KCOV_CC_CACHE"] = os.path.join(config.test_exec_root, "kcov-cc-cache")
config.substitutions.append(("%opt-plugin", "opt -load-pass-plugin=%s" % plugin))
config.substitutions.append(("%kcov-cc", "env KCOV_CC=%s kcov-cc" % clang))
config.substitutions.append(("%kcov-cxx", "env KCOV_CC=%s kcov-cc" % clangxx))
