# SPDX-License-Identifier: MIT
# The servants of core written outside core's own files (devpipe, devcons
# with consline, devroot, devboot): their host unit tests.  The servant
# objects themselves are listed in core's build (mk/core.mk).
HOSTTESTS += test_consline
test_consline_SRC := test/host/test_consline.c srv/core/consline.c
HOSTTESTS += test_devboot
test_devboot_SRC := test/host/test_devboot.c srv/core/tarfs.c lib/libc/string.c
HOSTTESTS += test_devpipe
test_devpipe_SRC := test/host/test_devpipe.c lib/libc/string.c
