/* SPDX-License-Identifier: MIT */
/*
 * ramfs as its own process: `ramfs [-s srvname] [-m mountpoint]`.  Gets
 * a 9P channel from core (ipcsrv), posts it as /srv/srvname (default
 * "ramfs"), mounts it on mountpoint if asked, and serves the servant of
 * ramfs.c through lib9p's devsrv forever.  doc/ramfs.md.
 */
#include "libc.h"
#include "srv/core/dev.h"
#include "lib/lib9p/srv.h"

extern Dev ramfsdevtab;

static void
fatal(const char *what, const char *arg)
{
	char err[ERRMAX];

	rerrstr(err, sizeof err);
	fprint(2, "ramfs: %s %s: %s\n", what, arg, err);
	exits(what);
}

static void
usage(void)
{
	fprint(2, "usage: ramfs [-s srvname] [-m mountpoint]\n");
	exits("usage");
}

int
main(int argc, char **argv)
{
	char *srvname = "ramfs", *mtpt = NULL, path[NAMELEN];
	long ep;
	void *region;
	int cfd, fd;
	Srv s;

	for (argc--, argv++; argc > 0 && argv[0][0] == '-'; argc--, argv++) {
		if (argc < 2 || argv[0][1] == 0 || argv[0][2] != 0)
			usage();
		switch (argv[0][1]) {
		case 's': srvname = argv[1]; break;
		case 'm': mtpt = argv[1]; break;
		default: usage();
		}
		argc--, argv++;
	}
	if (argc != 0)
		usage();

	if ((cfd = ipcsrv(&ep, &region)) < 0)
		fatal("ipcsrv", "");
	snprint(path, sizeof path, "/srv/%s", srvname);
	if ((fd = create(path, OWRITE, 0600)) < 0)
		fatal("create", path);
	if (fprint(fd, "%d", cfd) < 0)
		fatal("post", path);
	close(fd);
	if (mtpt != NULL && mount(cfd, -1, mtpt, MREPL | MCREATE, "") < 0)
		fatal("mount", mtpt);
	close(cfd);

	devsrv_init(&s, &ramfsdevtab);
	srvipc(&s, ep, region);
	fatal("srvipc", srvname);
	return 1;
}
