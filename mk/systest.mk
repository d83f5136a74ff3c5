# SPDX-License-Identifier: MIT
# Programs the system tests run inside Musubi (test/sys/*.rc, driven by
# tools/systest.py); they go into /bin like the commands.
PROGS += deepstack
BINPROGS += deepstack
deepstack_SRC := test/sys/deepstack.c
