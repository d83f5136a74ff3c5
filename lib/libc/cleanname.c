/* SPDX-License-Identifier: MIT */
/*
 * cleanname: lexical path cleaning, as Plan 9's.  Pure: it looks only at
 * the characters of the name, never at a file system, so "a/.." is "."
 * even when a is a symbolic binding elsewhere.  Walking names through a
 * namespace is core's business (srv/core), not this file's.
 */
#include "libc.h"

static bool
isdotdot(const char *p)
{
	return p[0] == '.' && p[1] == '.' && (p[2] == '/' || p[2] == 0);
}

/*
 * Clean path in place and return it: collapse runs of slashes, drop "."
 * elements and "name/.." pairs, turn "/.." into "/", keep leading ".."
 * of a relative path, remove trailing slashes, and make an empty result
 * ".".  The result is never longer than the input, so path's own storage
 * suffices.
 *
 * w is where the next output byte goes; it never passes r, the next input
 * byte, because each element written has been read first.  floor is the
 * shortest the output may become by ".." (after the root slash or after
 * the leading ".." elements of a relative path).
 */
char *
cleanname(char *path)
{
	bool rooted = path[0] == '/';
	size_t r = 0, w = 0, floor;

	if (rooted)
		w = 1;
	floor = w;
	for (;;) {
		while (path[r] == '/')
			r++;
		if (path[r] == 0)
			break;
		if (path[r] == '.' && (path[r + 1] == '/' || path[r + 1] == 0)) {
			r++;
		} else if (isdotdot(path + r)) {
			r += 2;
			if (w > floor) {
				/* Back up over the last element and its separator. */
				while (w > floor && path[w - 1] != '/')
					w--;
				if (w > floor)
					w--;
			} else if (!rooted) {
				if (w > 0)
					path[w++] = '/';
				path[w++] = '.';
				path[w++] = '.';
				floor = w;
			}
			/* rooted and at the root: "/.." is "/". */
		} else {
			if (w > (rooted ? 1u : 0u))
				path[w++] = '/';
			while (path[r] != '/' && path[r] != 0)
				path[w++] = path[r++];
		}
	}
	if (w == 0)
		path[w++] = '.';
	path[w] = 0;
	return path;
}

/*
 * Would cleanname leave path as it is?  For rooted paths only (others
 * answer 0): no empty, "." or ".." element and no trailing slash.  A
 * quick look, cheaper than cleaning, for the names most calls get.
 */
bool
isclean(const char *path)
{
	const char *p = path;

	if (p[0] != '/')
		return false;
	if (p[1] == 0)
		return true;
	while (*p == '/') {
		p++; /* an element starts */
		if (*p == '/' || *p == 0)
			return false;
		if (p[0] == '.' && (p[1] == '/' || p[1] == 0 || isdotdot(p)))
			return false;
		while (*p != '/' && *p != 0)
			p++;
	}
	return true;
}
