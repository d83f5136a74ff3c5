/* SPDX-License-Identifier: MIT */
/* File descriptor tables (Fgrp): one per process, or shared after rfork without RFFDG. */
#include "dat.h"
#include "fns.h"

Fgrp *
newfgrp(void)
{
	Fgrp *f = malloc(sizeof *f);

	if (f) {
		memset(f, 0, sizeof *f);
		f->ref = 1;
		f->maxfd = -1;
	}
	return f;
}

Fgrp *
fgrpcopy(Fgrp *from)
{
	Fgrp *f = newfgrp();

	if (f == NULL)
		return NULL;
	lock(&from->l);
	for (int i = 0; i <= from->maxfd; i++)
		if ((f->fd[i] = from->fd[i]) != NULL)
			incref(&f->fd[i]->ref);
	f->maxfd = from->maxfd;
	unlock(&from->l);
	return f;
}

void
closefgrp(Fgrp *f)
{
	if (f == NULL || decref(&f->ref) > 0)
		return;
	for (int i = 0; i <= f->maxfd; i++)
		cclose(f->fd[i]);
	free(f);
}

int
newfd(Chan *c)
{
	Fgrp *f = up->fgrp;

	lock(&f->l);
	for (int i = 0; i < NFD; i++)
		if (f->fd[i] == NULL) {
			f->fd[i] = c;
			if (i > f->maxfd)
				f->maxfd = i;
			unlock(&f->l);
			return i;
		}
	unlock(&f->l);
	werrstr("no free file descriptors");
	return -1;
}

/* A new reference to fd's Chan; mode >= 0 checks it was opened for that. */
Chan *
fdtochan(int fd, int mode, int iochk)
{
	Fgrp *f = up->fgrp;
	Chan *c;

	lock(&f->l);
	if (fd < 0 || fd > f->maxfd || (c = f->fd[fd]) == NULL) {
		unlock(&f->l);
		werrstr("%s", Ebadfd);
		return NULL;
	}
	incref(&c->ref);
	unlock(&f->l);
	if (iochk && !(c->flag & COPEN)) {
		cclose(c);
		werrstr("%s", Ebadfd);
		return NULL;
	}
	if (mode >= 0 && (c->mode == OEXEC || (mode == OREAD && c->mode == OWRITE) ||
			  (mode == OWRITE && c->mode == OREAD) || (mode == ORDWR && c->mode != ORDWR))) {
		cclose(c);
		werrstr("%s", Ebadfd);
		return NULL;
	}
	return c;
}

void
fdclose(int fd)
{
	Fgrp *f = up->fgrp;
	Chan *c;

	lock(&f->l);
	c = fd >= 0 && fd <= f->maxfd ? f->fd[fd] : NULL;
	if (c)
		f->fd[fd] = NULL;
	while (f->maxfd >= 0 && f->fd[f->maxfd] == NULL)
		f->maxfd--;
	unlock(&f->l);
	cclose(c);
}
