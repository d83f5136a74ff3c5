/* SPDX-License-Identifier: MIT */
/*
 * Character classes, ASCII only: anything outside 0..127 (including EOF)
 * is in no class and tolower/toupper return it unchanged.
 */
#include "libc.h"

int
isdigit(int c)
{
	return c >= '0' && c <= '9';
}

int
isxdigit(int c)
{
	return isdigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

int
isupper(int c)
{
	return c >= 'A' && c <= 'Z';
}

int
islower(int c)
{
	return c >= 'a' && c <= 'z';
}

int
isalpha(int c)
{
	return isupper(c) || islower(c);
}

int
isalnum(int c)
{
	return isalpha(c) || isdigit(c);
}

/* space, \t \n \v \f \r */
int
isspace(int c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

int
isprint(int c)
{
	return c >= ' ' && c <= '~';
}

int
tolower(int c)
{
	return isupper(c) ? c - 'A' + 'a' : c;
}

int
toupper(int c)
{
	return islower(c) ? c - 'a' + 'A' : c;
}
