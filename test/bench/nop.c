/* SPDX-License-Identifier: MIT */
/*
 * nop: the trivial static program of the proc.spawn benchmark.  It only
 * starts (crt0 and mu_init) and exits with an empty status: the least a
 * program can do, like the Linux peer's static program without libc.
 */
int
main(void)
{
	return 0;
}
