/* SPDX-License-Identifier: MIT */
/*
 * Regular expressions for Musubi programs (grep, rc's tools).  The
 * matcher (regexp.c) is pure: no system calls, memory from malloc only.
 *
 * Syntax: a literal character; . any character; [abc] [a-z] [^...] a
 * class (a ']' first in the class is literal, '-' first or last is
 * literal); e* e+ e? repetition; e|f alternation; ( ) a group, whose match
 * is a submatch; ^ the start and $ the end of the string; \c the
 * character c literally, except \n newline and \t tab.
 *
 * Semantics: leftmost-first, as Perl's: of the matches starting at the
 * leftmost position, the one found by preferring, at each choice, the
 * left alternative of | and one more repetition of *, + and ? (greedy).
 * The matcher is a Pike VM (Thompson NFA simulation with submatches):
 * time O(length of text x size of pattern), never backtracking.
 */
#ifndef REGEXP_H
#define REGEXP_H

#include <stddef.h>

enum {
	NSUBEXP = 32,   /* most groups in a pattern, counting match[0] */
	REMAXLEN = 4096, /* longest pattern accepted */
};

typedef struct Reprog Reprog;

/* A submatch: text sp..ep-1; both NULL when the group did not take part. */
typedef struct Resub {
	const char *sp;
	const char *ep;
} Resub;

/*
 * Compile re.  Returns a program to pass to regexec and then regfree, or
 * NULL if re is malformed or memory ran out; regcompe then sets *err (if
 * err is not NULL) to a constant string saying why, such as "missing )".
 */
Reprog *regcomp(const char *re);
Reprog *regcompe(const char *re, const char **err);

/*
 * Search s for p.  Returns 1 on a match, 0 on none, -1 if memory for the
 * search ran out.  On a match match[0] is the whole match and match[i]
 * the i-th group, for i < nmatch (match may be NULL when nmatch is 0).
 * Needs memory in proportion to the program's size times nmatch, taken
 * and given back on each call; p is only read, so threads may share it.
 */
int regexec(const Reprog *p, const char *s, Resub *match, int nmatch);

/* Free p; NULL is allowed. */
void regfree(Reprog *p);

#endif
