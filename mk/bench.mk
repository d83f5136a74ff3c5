# SPDX-License-Identifier: MIT
# The benchmarks of core and its servers (test/bench, doc/bench.md):
# `make bench` boots the system with init=/bin/sysbench.
PROGS += sysbench nop
BINPROGS += sysbench nop
sysbench_SRC := test/bench/sysbench.c
nop_SRC := test/bench/nop.c
