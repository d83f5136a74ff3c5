/* SPDX-License-Identifier: MIT */
/*
 * rc's lexer: source bytes to tokens, one at a time, as parse.c asks.
 * Also here: comments, `\` newline continuation, quoting ('it''s'),
 * redirection and pipe operators with their [fd] parts, and the bodies
 * of here documents, which are read when the line that asked for them
 * ends.  The grammar is in parse.c.
 */
#include "rc.h"

/* Bytes that end a bare word (besides space, tab, newline and the end). */
static const char notword[] = "#;&|^$=`'{}()<>";
/* Bytes that may not appear in a variable name after $. */
static const char notname[] = "!\"#$%&'()+,-./:;<=>?@[\\]^`{|}~";

static bool
isword(int c)
{
	return c != ' ' && c != '\t' && c != '\n' && c != 0 && !strchr(notword, c);
}

static bool
isname(int c)
{
	return (c & 0x80) || (c > ' ' && c != 0x7f && !strchr(notname, c));
}

void
lex_init(Lexer *lx, const char *src, size_t len, Tree **chain)
{
	memset(lx, 0, sizeof *lx);
	lx->src = lx->p = src;
	lx->end = src + len;
	lx->line = 1;
	lx->chain = chain;
}

void
lex_free(Lexer *lx)
{
	free(lx->buf);
	lx->buf = NULL;
}

static int
peekc(Lexer *lx, size_t i)
{
	return lx->p + i < lx->end ? (unsigned char)lx->p[i] : -1;
}

static int
error(Lexer *lx, Token *t, const char *msg)
{
	snprint(lx->err, sizeof lx->err, "%s at line %d", msg, lx->line);
	t->kind = KError;
	return -1;
}

/* Append c to the word being built; -1 when out of memory. */
static int
addc(Lexer *lx, int c)
{
	if (lx->nbuf + 1 >= lx->cap) {
		size_t cap = lx->cap ? 2 * lx->cap : 64;
		char *b = realloc(lx->buf, cap);
		if (b == NULL)
			return -1;
		lx->buf = b;
		lx->cap = cap;
	}
	lx->buf[lx->nbuf++] = (char)c;
	lx->buf[lx->nbuf] = 0;
	return 0;
}

/* Skip blanks, continuations and comments; report whether any were seen. */
static bool
skipspace(Lexer *lx)
{
	bool sp = false;

	for (;;) {
		int c = peekc(lx, 0);
		if (c == ' ' || c == '\t' || c == '\r') {
			lx->p++;
		} else if (c == '\\' && peekc(lx, 1) == '\n') {
			lx->p += 2;
			lx->line++;
		} else if (c == '#') {
			while (peekc(lx, 0) != -1 && peekc(lx, 0) != '\n')
				lx->p++;
		} else
			return sp;
		sp = true;
	}
}

/* Digits of a [fd] part; -1 if there are none or too many. */
static int
number(Lexer *lx)
{
	int n = 0, nd = 0;

	while (peekc(lx, 0) >= '0' && peekc(lx, 0) <= '9') {
		if (++nd > 4)
			return -1;
		n = 10 * n + (*lx->p++ - '0');
	}
	return nd ? n : -1;
}

/*
 * The optional [fd] or [fd=fd] or [fd=] after a redirection or pipe.
 * Sets t->fd; returns 1 for [fd=fd], 2 for [fd=], 0 otherwise, -1 on error.
 */
static int
fdpart(Lexer *lx, Token *t)
{
	int r = 0;

	if (peekc(lx, 0) != '[')
		return 0;
	lx->p++;
	if ((t->fd[0] = number(lx)) < 0)
		return -1;
	if (peekc(lx, 0) == '=') {
		lx->p++;
		if (peekc(lx, 0) == ']')
			r = 2;
		else if ((t->fd[1] = number(lx)) < 0)
			return -1;
		else
			r = 1;
	}
	if (peekc(lx, 0) != ']')
		return -1;
	lx->p++;
	return r;
}

static void
redir(Lexer *lx, Token *t, int c)
{
	int r;

	t->kind = KRedir;
	if (c == '>' && peekc(lx, 0) == '>') {
		lx->p++;
		t->op = RAppend;
	} else if (c == '<' && peekc(lx, 0) == '<') {
		lx->p++;
		t->op = RHere;
	} else if (c == '<' && peekc(lx, 0) == '>') {
		lx->p++;
		t->op = RRdwr;
	} else
		t->op = c == '<' ? RIn : ROut;
	t->fd[0] = t->op == ROut || t->op == RAppend;
	r = fdpart(lx, t);
	if (r < 0 || (r > 0 && t->op != RIn && t->op != ROut)) {
		error(lx, t, "bad redirection");
		return;
	}
	if (r == 1)
		t->op = RDup;
	else if (r == 2)
		t->op = RClose;
}

static void
quoted(Lexer *lx, Token *t)
{
	int line = lx->line;

	t->kind = KQuoted;
	for (;;) {
		int c = peekc(lx, 0);
		if (c == -1 || c == 0) {
			lx->line = line;
			error(lx, t, c ? "unterminated quote" : "NUL byte in input");
			return;
		}
		lx->p++;
		if (c == '\'') {
			if (peekc(lx, 0) != '\'')
				return;
			lx->p++;
		}
		if (c == '\n')
			lx->line++;
		if (addc(lx, c) < 0) {
			error(lx, t, "out of memory");
			return;
		}
	}
}

/* Read the body of r after the current line, up to a line equal to its tag. */
static int
herebody(Lexer *lx, Tree *r)
{
	const char *tag = r->kid[0]->str, *body = lx->p;
	size_t taglen = strlen(tag);

	for (;;) {
		const char *s = lx->p, *e = s;
		if (s == lx->end)
			return -1;
		while (e < lx->end && *e != '\n')
			e++;
		lx->p = e < lx->end ? e + 1 : e;
		lx->line++;
		if ((size_t)(e - s) == taglen && memcmp(s, tag, taglen) == 0) {
			r->kid[1] = tree_new(lx->chain, TQuoted, r->line, body, s - body);
			return r->kid[1] ? 0 : -1;
		}
	}
}

int
lex_here(Lexer *lx, Tree *r)
{
	if (lx->nhere == nelem(lx->here))
		return -1;
	lx->here[lx->nhere++] = r;
	return 0;
}

static void
newline(Lexer *lx, Token *t)
{
	t->kind = KNewline;
	lx->line++;
	for (int i = 0; i < lx->nhere; i++) {
		if (herebody(lx, lx->here[i]) < 0) {
			lx->nhere = 0;
			error(lx, t, "unterminated here document");
			return;
		}
	}
	lx->nhere = 0;
}

static void
word(Lexer *lx, Token *t, bool name)
{
	int c;

	t->kind = KWord;
	while ((c = peekc(lx, 0)) != -1 && (name ? isname(c) : isword(c))) {
		if (c == '\\' && peekc(lx, 1) == '\n')
			break; /* a continuation: white space */
		lx->p++;
		if (addc(lx, c) < 0) {
			error(lx, t, "out of memory");
			return;
		}
	}
}

/* Operators of one or two bytes that need no further scanning. */
static int
simpleop(Lexer *lx, int c)
{
	int c1 = peekc(lx, 0);

	switch (c) {
	case '&':
		if (c1 == '&') {
			lx->p++;
			return KAndand;
		}
		return KAmp;
	case '$':
		if (c1 == '#' || c1 == '"') {
			lx->p++;
			return c1 == '#' ? KCount : KFlat;
		}
		return KDollar;
	case ';': return KSemi;
	case '^': return KCaret;
	case '=': return KEquals;
	case '`': return KBackq;
	case '(': return KLparen;
	case ')': return KRparen;
	case '{': return KLbrace;
	case '}': return KRbrace;
	}
	return -1;
}

void
lex_next(Lexer *lx, Token *t, int mode)
{
	int c;

	memset(t, 0, sizeof *t);
	lx->nbuf = 0;
	if (lx->buf)
		lx->buf[0] = 0;
	t->sp = mode == LexName && isname(peekc(lx, 0)) ? false : skipspace(lx);
	t->line = lx->line;
	c = peekc(lx, 0);
	if (c == -1) {
		t->kind = KEof;
		if (lx->nhere > 0)
			error(lx, t, "unterminated here document");
		return;
	}
	if (c == 0) {
		error(lx, t, "NUL byte in input");
		return;
	}
	if (mode == LexName && isname(c))
		word(lx, t, true);
	else if (isword(c))
		word(lx, t, false);
	else {
		lx->p++;
		if (c == '\n')
			newline(lx, t);
		else if (c == '\'')
			quoted(lx, t);
		else if (c == '<' || c == '>')
			redir(lx, t, c);
		else if (c == '|' && peekc(lx, 0) == '|') {
			lx->p++;
			t->kind = KOror;
		} else if (c == '|') {
			t->kind = KPipe;
			t->fd[0] = 1;
			int r = fdpart(lx, t);
			if (r < 0 || r == 2)
				error(lx, t, "bad pipe");
		} else if ((t->kind = simpleop(lx, c)) < 0)
			error(lx, t, "bad character");
	}
	t->str = lx->buf ? lx->buf : "";
	t->len = lx->nbuf;
}
