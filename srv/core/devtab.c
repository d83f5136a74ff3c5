/* SPDX-License-Identifier: MIT */
/* The servants linked into core, by their '#' letter. */
#include "dat.h"
#include "fns.h"

extern Dev rootdevtab, consdevtab, envdevtab, pipedevtab, srvdevtab, procdevtab, dupdevtab,
	bootdevtab, mntdevtab, ipcdevtab, ramfsdevtab;

Dev *devtab[] = {
	&rootdevtab,  /* #R */
	&consdevtab,  /* #c */
	&envdevtab,   /* #e */
	&pipedevtab,  /* #| */
	&srvdevtab,   /* #s */
	&procdevtab,  /* #p */
	&dupdevtab,   /* #d */
	&bootdevtab,  /* #B */
	&mntdevtab,   /* #M */
	&ipcdevtab,   /* #X */
	&ramfsdevtab, /* #r: ramfs, in core (it also runs as its own server) */
	NULL,
};

Dev *
devbychar(int dc)
{
	for (int i = 0; devtab[i]; i++)
		if (devtab[i]->dc == dc)
			return devtab[i];
	return NULL;
}

int
devno(Dev *d)
{
	for (int i = 0; devtab[i]; i++)
		if (devtab[i] == d)
			return i;
	return -1;
}

void
devinit(void)
{
	for (int i = 0; devtab[i]; i++)
		if (devtab[i]->init)
			devtab[i]->init();
}
