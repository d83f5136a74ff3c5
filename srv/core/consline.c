/* SPDX-License-Identifier: MIT */
/*
 * Cooked-mode line editing for the console (consline.h).  Pure: no
 * locks, no system calls; devcons.c calls it with its keyboard lock held.
 */
#include "consline.h"

enum {
	CtlC = 0x03,
	CtlD = 0x04,
	CtlT = 0x14,
	Bs = 0x08,
	Tab = 0x09,
	CtlU = 0x15,
	CtlW = 0x17,
	Del = 0x7f,
};

static void put(char *echo, int *necho, const char *s)
{
	while (*s && *necho < ConsEchoMax)
		echo[(*necho)++] = *s++;
}

/* Erase the last character of the line, a whole UTF-8 sequence. */
static void erase1(ConsLine *l, char *echo, int *necho)
{
	if (l->n == 0)
		return;
	while (l->n > 1 && ((unsigned char)l->line[l->n - 1] & 0xc0) == 0x80)
		l->n--;
	l->n--;
	put(echo, necho, "\b \b");
}

static int isblank_(int c) { return c == ' ' || c == Tab; }

int consline_input(ConsLine *l, int c, char *echo, int *necho)
{
	*necho = 0;
	if (l->done) {
		l->n = 0;
		l->done = 0;
	}
	c &= 0xff;
	switch (c) {
	case '\r':
	case '\n':
		l->line[l->n++] = '\n';  /* there is always room: see below */
		put(echo, necho, "\n");
		l->done = 1;
		return ConsDeliver;
	case Bs:
	case Del:
		erase1(l, echo, necho);
		return ConsMore;
	case CtlW:
		while (l->n > 0 && isblank_(l->line[l->n - 1]))
			erase1(l, echo, necho);
		while (l->n > 0 && !isblank_(l->line[l->n - 1]))
			erase1(l, echo, necho);
		return ConsMore;
	case CtlU:
		while (l->n > 0)
			erase1(l, echo, necho);
		return ConsMore;
	case CtlD:
		if (l->n == 0)
			return ConsEof;
		l->done = 1;
		return ConsDeliver;
	case CtlC:
		l->n = 0;
		put(echo, necho, "^C\n");
		return ConsIntr;
	case CtlT:
		return ConsDump;
	}
	if (c < 0x20 && c != Tab)
		return ConsMore;
	l->line[l->n++] = (char)c;
	echo[(*necho)++] = (char)c;
	/* Keep a byte free for the newline; a full line goes as it is. */
	if (l->n == ConsLineMax - 1) {
		l->done = 1;
		return ConsDeliver;
	}
	return ConsMore;
}

int consline_flush(ConsLine *l)
{
	int n = l->done ? 0 : l->n;

	l->n = n;
	l->done = 1;
	return n;
}
