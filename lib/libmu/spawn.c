/* SPDX-License-Identifier: MIT */
/* Client side of the root task's spawn protocol (spawn.h). */
#include "libc.h"
#include "mu.h"
#include "spawn.h"

long mu_spawn(int argc, const char **argv, long passh)
{
	MuIpcBuf *b = mu_ipcbuf();
	char *p = (char *)&b->mr[4];
	size_t len = 0;
	MuMsg m = { 0 };
	long e;

	if (mu_parent == 0)
		return -ErrInval;
	for (int i = 0; i < argc; i++) {
		size_t n = strlen(argv[i]) + 1;
		if (len + n > SpawnMaxArgs)
			return -ErrInval;
		memcpy(p + len, argv[i], n);
		len += n;
	}
	if (passh) {
		b->item[0] = (MuItem){ ItemHandle, passh, RAll };
	}
	m.tag = TAG(LabelSpawn, 4 + (len + 7) / 8, passh ? 1 : 0);
	m.mr[0] = argc;
	m.mr[1] = len;
	if ((e = mu_call(mu_parent, &m)) < 0)
		return e;
	if (TAG_LABEL(m.tag) != 0)
		return (long)m.mr[0] < 0 ? (long)m.mr[0] : -ErrInval;
	if (TAG_ITEMS(m.tag) < 1 || b->item[0].kind != ItemHandle)
		return -ErrInval;
	return b->item[0].a;
}

long mu_spawned_handle(void)
{
	if (mu_argc > 0 && strncmp(mu_argv[mu_argc - 1], "h=", 2) == 0)
		return strtol(mu_argv[mu_argc - 1] + 2, NULL, 10);
	return 0;
}
