/* SPDX-License-Identifier: MIT */
/*
 * rc's parser: recursive descent from the tokens of lex.c to a Tree
 * (rc.h; tree.c frees and prints it).  The grammar, loosest first:
 *
 *	body     = { cmd [ '&' ] ( ';' | '&' | newline ) }   (empty ones allowed)
 *	cmd      = pipeline { ( '&&' | '||' ) {newline} pipeline }
 *	pipeline = primary { '|'[fds] {newline} primary }
 *	primary  = '!' pipeline | '@' pipeline | word '=' word [ pipeline ]
 *	         | 'if' '(' body ')' {nl} cmd | 'if' 'not' {nl} cmd
 *	         | 'for' '(' word [ 'in' words ] ')' {nl} cmd
 *	         | 'while' '(' body ')' {nl} cmd | 'switch' word {nl} '{' body '}'
 *	         | 'fn' words [ '{' body '}' ] | '~' word words | 'case' words
 *	         | '{' body '}' { redir } | { word | redir }
 *	word     = item { ['^'] item }       (no '^' needed when items touch)
 *	item     = bare | 'quoted' | '(' words ')' | '`' '{' body '}'
 *	         | '$' name [ '(' words ')' ] | '$#' name | '$"' name
 *
 * Keywords are bare words, recognised only where a command starts (and
 * "not", "in" after if, for).  Every function returns NULL and sets
 * p->failed on error; the nodes made so far hang on p->chain and are
 * freed together.
 */
#include "rc.h"

enum { MaxDepth = 200 };

typedef struct Parser Parser;
struct Parser {
	Lexer lx;
	Token tok;
	Tree *chain;
	int depth;
	bool failed;
	char err[128];
};

static Tree *body(Parser *p, int end);
static Tree *cmd(Parser *p);
static Tree *pipeline(Parser *p);
static Tree *word(Parser *p, bool eq);

static const char *const toknames[] = {
	[KEof] = "end of file", [KNewline] = "newline", [KDollar] = "$",
	[KCount] = "$#", [KFlat] = "$\"", [KBackq] = "`", [KCaret] = "^",
	[KEquals] = "=", [KLparen] = "(", [KRparen] = ")", [KLbrace] = "{",
	[KRbrace] = "}", [KSemi] = ";", [KAmp] = "&", [KAndand] = "&&",
	[KOror] = "||", [KPipe] = "|", [KRedir] = "redirection",
};

static void
fail(Parser *p, const char *msg)
{
	if (p->failed)
		return;
	p->failed = true;
	snprint(p->err, sizeof p->err, "%s at line %d", msg, p->tok.line);
}

/* Complain about the current token. */
static Tree *
syntax(Parser *p)
{
	const Token *t = &p->tok;

	if (p->failed)
		return NULL;
	p->failed = true;
	if (t->kind == KError)
		snprint(p->err, sizeof p->err, "%s", p->lx.err);
	else if (t->kind == KWord || t->kind == KQuoted)
		snprint(p->err, sizeof p->err, "syntax error near `%.20s` at line %d", t->str,
			t->line);
	else
		snprint(p->err, sizeof p->err, "syntax error near `%s` at line %d",
			toknames[t->kind], t->line);
	return NULL;
}

static void
advancemode(Parser *p, int mode)
{
	if (p->tok.kind == KError || p->tok.kind == KEof)
		return;
	lex_next(&p->lx, &p->tok, mode);
	if (p->tok.kind == KError)
		syntax(p);
}

static void
advance(Parser *p)
{
	advancemode(p, LexNormal);
}

static void
skipnl(Parser *p)
{
	while (p->tok.kind == KNewline)
		advance(p);
}

/* Expect the current token to be of this kind, and step past it. */
static bool
expect(Parser *p, int kind)
{
	if (p->failed || p->tok.kind != kind) {
		syntax(p);
		return false;
	}
	advance(p);
	return true;
}

static Tree *
node(Parser *p, int kind, int line, Tree *a, Tree *b)
{
	Tree *t;

	if (p->failed)
		return NULL;
	if ((t = tree_new2(&p->chain, kind, line, a, b)) == NULL)
		fail(p, "out of memory");
	return t;
}

/* A word or quoted word node from the current token, which it steps past. */
static Tree *
leaf(Parser *p, int kind, const char *s)
{
	Tree *t = tree_new(&p->chain, kind, p->tok.line, s, strlen(s));

	if (t == NULL)
		fail(p, "out of memory");
	advance(p);
	return t;
}

static bool
wordstart(const Token *t)
{
	switch (t->kind) {
	case KWord:
	case KQuoted:
	case KDollar:
	case KCount:
	case KFlat:
	case KBackq:
	case KLparen:
		return true;
	}
	return false;
}

static bool
iskw(const Parser *p, const char *kw)
{
	return p->tok.kind == KWord && strcmp(p->tok.str, kw) == 0;
}

static bool
depthok(Parser *p)
{
	if (p->depth < MaxDepth)
		return true;
	fail(p, "too deeply nested");
	return false;
}

/* Words up to a token that cannot start one, skipping newlines if nl. */
static Tree *
words(Parser *p, bool nl)
{
	Tree *list = NULL, **tail = &list;

	for (;;) {
		if (nl)
			skipnl(p);
		if (p->failed || !wordstart(&p->tok))
			return list;
		*tail = word(p, true);
		if (*tail)
			tail = &(*tail)->next;
	}
}

/* '(' words ')', the '(' being the current token. */
static Tree *
list(Parser *p)
{
	int line = p->tok.line;
	Tree *l;

	advance(p);
	l = words(p, true);
	if (!expect(p, KRparen))
		return NULL;
	return node(p, TList, line, l, NULL);
}

/* After $, $# or $": a name, a quoted word or another $ form, touching. */
static Tree *
varitem(Parser *p)
{
	int line = p->tok.line;
	int kind = p->tok.kind == KDollar ? TVar : p->tok.kind == KCount ? TCount : TFlat;
	Tree *name, *sub;

	advancemode(p, LexName);
	if (p->failed)
		return NULL;
	if (p->tok.sp)
		return syntax(p);
	switch (p->tok.kind) {
	case KWord:
		name = leaf(p, TWord, p->tok.str);
		break;
	case KQuoted:
		name = leaf(p, TQuoted, p->tok.str);
		break;
	case KDollar:
	case KCount:
	case KFlat:
		p->depth++;
		name = depthok(p) ? varitem(p) : NULL;
		p->depth--;
		break;
	default:
		return syntax(p);
	}
	if (kind == TVar && p->tok.kind == KLparen && !p->tok.sp) {
		sub = list(p);
		return node(p, TSub, line, name, sub);
	}
	return node(p, kind, line, name, NULL);
}

/* '{' body '}' as a block, the '{' being the current token. */
static Tree *
brace(Parser *p)
{
	int line = p->tok.line;
	Tree *b;

	if (!expect(p, KLbrace))
		return NULL;
	p->depth++;
	b = depthok(p) ? body(p, KRbrace) : NULL;
	p->depth--;
	if (!expect(p, KRbrace))
		return NULL;
	return node(p, TBrace, line, b, NULL);
}

/* One item of a word; eq: a touching '=' is part of the word. */
static Tree *
item(Parser *p, bool eq)
{
	Tree *b;
	int line = p->tok.line;

	switch (p->tok.kind) {
	case KWord:
		return leaf(p, TWord, p->tok.str);
	case KQuoted:
		return leaf(p, TQuoted, p->tok.str);
	case KEquals:
		if (eq)
			return leaf(p, TWord, "=");
		break;
	case KLparen:
		return list(p);
	case KDollar:
	case KCount:
	case KFlat:
		return varitem(p);
	case KBackq:
		advance(p);
		if (p->tok.kind != KLbrace || p->tok.sp)
			return syntax(p);
		if ((b = brace(p)) == NULL)
			return NULL;
		b->kind = TBackq;
		b->line = line;
		return b;
	}
	return syntax(p);
}

/*
 * Whether an item touching the last one joins it with a free caret: as
 * in 9base, not after a list, a subscript or `{...} (what ends in a
 * bracket), and not before a '(' (which there would be a subscript):
 * (a b)c and `{x}y are two words each.
 */
static bool
freecaret(const Tree *last, const Token *next)
{
	if (last && (last->kind == TList || last->kind == TSub || last->kind == TBackq))
		return false;
	return next->kind != KLparen;
}

/* Items joined by explicit carets, or by free ones where they touch. */
static Tree *
word(Parser *p, bool eq)
{
	Tree *w, *r, *last;

	p->depth++;
	w = last = depthok(p) ? item(p, eq) : NULL;
	while (!p->failed) {
		if (p->tok.kind == KCaret)
			advance(p);
		else if (p->tok.sp || !(wordstart(&p->tok) || (eq && p->tok.kind == KEquals)))
			break;
		else if (!freecaret(last, &p->tok))
			break;
		r = last = item(p, eq);
		w = node(p, TConcat, w ? w->line : 0, w, r);
	}
	p->depth--;
	return p->failed ? NULL : w;
}

static Tree *
redir(Parser *p)
{
	Tree *r = node(p, TRedir, p->tok.line, NULL, NULL);

	if (r == NULL)
		return NULL;
	r->op = p->tok.op;
	r->fd[0] = p->tok.fd[0];
	r->fd[1] = p->tok.fd[1];
	advance(p);
	if (r->op == RDup || r->op == RClose || p->failed)
		return r;
	if (r->op != RHere) {
		if (!wordstart(&p->tok))
			return syntax(p);
		r->kid[0] = word(p, true);
		return r;
	}
	/* The tag is one plain or quoted word; the body follows the line. */
	if (p->tok.kind != KWord && p->tok.kind != KQuoted)
		return syntax(p);
	r->kid[0] = tree_new(&p->chain, p->tok.kind == KWord ? TWord : TQuoted, p->tok.line,
			     p->tok.str, p->tok.len);
	if (r->kid[0] == NULL || lex_here(&p->lx, r) < 0) {
		fail(p, "too many here documents");
		return NULL;
	}
	advance(p);
	if (!p->tok.sp && (wordstart(&p->tok) || p->tok.kind == KCaret))
		return syntax(p);
	return r;
}

/* Words and redirections; first, if not NULL, is the first word. */
static Tree *
simple(Parser *p, Tree *first)
{
	int line = first ? first->line : p->tok.line;
	Tree *args = first, **at = first ? &first->next : &args;
	Tree *redirs = NULL, **rt = &redirs;

	while (!p->failed) {
		if (p->tok.kind == KRedir) {
			if ((*rt = redir(p)) != NULL)
				rt = &(*rt)->next;
		} else if (wordstart(&p->tok) || p->tok.kind == KEquals) {
			if ((*at = word(p, true)) != NULL)
				at = &(*at)->next;
		} else
			break;
	}
	if (args == NULL && redirs == NULL)
		return syntax(p);
	return node(p, TSimple, line, args, redirs);
}

static bool
canstart(const Token *t)
{
	return wordstart(t) || t->kind == KLbrace || t->kind == KRedir;
}

/* '(' body ')' {newline}: the condition of if and while. */
static Tree *
cond(Parser *p)
{
	Tree *c;

	if (!expect(p, KLparen))
		return NULL;
	c = body(p, KRparen);
	if (c == NULL || !expect(p, KRparen))
		return syntax(p);
	skipnl(p);
	return c;
}

static Tree *
forcmd(Parser *p, int line)
{
	Tree *t, *name, *l = NULL;

	if (!expect(p, KLparen))
		return NULL;
	if (!wordstart(&p->tok))
		return syntax(p);
	name = word(p, true);
	if (iskw(p, "in")) {
		int lline = p->tok.line;
		advance(p);
		l = node(p, TList, lline, words(p, true), NULL);
	}
	if (!expect(p, KRparen))
		return NULL;
	skipnl(p);
	if ((t = node(p, TFor, line, name, l)) != NULL)
		t->kid[2] = cmd(p);
	return t;
}

static Tree *
switchcmd(Parser *p, int line)
{
	Tree *w, *b = NULL;

	if (!wordstart(&p->tok))
		return syntax(p);
	w = word(p, true);
	skipnl(p);
	if (!expect(p, KLbrace))
		return NULL;
	p->depth++;
	if (depthok(p))
		b = body(p, KRbrace);
	p->depth--;
	if (!expect(p, KRbrace))
		return NULL;
	return node(p, TSwitch, line, w, b);
}

static Tree *
fncmd(Parser *p, int line)
{
	Tree *names = words(p, false);

	if (names == NULL)
		return syntax(p);
	if (p->tok.kind == KLbrace)
		return node(p, TFn, line, names, brace(p));
	return node(p, TFnDelete, line, names, NULL);
}

/* The commands that start with a keyword, the current token; NULL if none. */
static Tree *
keyword(Parser *p, bool *found)
{
	int line = p->tok.line;
	Tree *c;

	*found = true;
	if (iskw(p, "!") || iskw(p, "@")) {
		int kind = iskw(p, "!") ? TNot : TSubshell;
		advance(p);
		return node(p, kind, line, pipeline(p), NULL);
	}
	if (iskw(p, "if")) {
		advance(p);
		if (iskw(p, "not")) {
			advance(p);
			skipnl(p);
			return node(p, TIfNot, line, cmd(p), NULL);
		}
		c = cond(p);
		return node(p, TIf, line, c, cmd(p));
	}
	if (iskw(p, "while")) {
		advance(p);
		c = cond(p);
		return node(p, TWhile, line, c, cmd(p));
	}
	if (iskw(p, "for") || iskw(p, "switch") || iskw(p, "fn")) {
		bool isfor = iskw(p, "for"), isfn = iskw(p, "fn");
		advance(p);
		return isfor ? forcmd(p, line) : isfn ? fncmd(p, line) : switchcmd(p, line);
	}
	if (iskw(p, "~") || iskw(p, "case")) {
		int kind = iskw(p, "~") ? TMatch : TCase;
		advance(p);
		c = words(p, false);
		if (kind == TMatch && c == NULL)
			return syntax(p);
		return node(p, kind, line, c, NULL);
	}
	*found = false;
	return NULL;
}

static Tree *
primary(Parser *p)
{
	Tree *t, *w, **rt;
	bool found;
	int line = p->tok.line;

	if (p->failed || !depthok(p))
		return NULL;
	p->depth++;
	t = keyword(p, &found);
	if (found)
		goto out;
	if (p->tok.kind == KLbrace) {
		t = brace(p);
		for (rt = t ? &t->kid[1] : NULL; rt && p->tok.kind == KRedir && !p->failed;) {
			if ((*rt = redir(p)) != NULL)
				rt = &(*rt)->next;
		}
	} else if (wordstart(&p->tok)) {
		w = word(p, false);
		if (p->tok.kind != KEquals) {
			t = simple(p, w);
			goto out;
		}
		advance(p);
		if (!wordstart(&p->tok)) {
			t = syntax(p);
			goto out;
		}
		t = node(p, TAssign, line, w, word(p, true));
		if (t && canstart(&p->tok))
			t->kid[2] = pipeline(p);
	} else if (p->tok.kind == KRedir)
		t = simple(p, NULL);
	else
		t = syntax(p);
out:
	p->depth--;
	return p->failed ? NULL : t;
}

static Tree *
pipeline(Parser *p)
{
	Tree *l = primary(p), *t;

	while (!p->failed && p->tok.kind == KPipe) {
		int fd0 = p->tok.fd[0], fd1 = p->tok.fd[1], line = p->tok.line;
		advance(p);
		skipnl(p);
		if ((t = node(p, TPipe, line, l, primary(p))) == NULL)
			return NULL;
		t->fd[0] = fd0;
		t->fd[1] = fd1;
		l = t;
	}
	return p->failed ? NULL : l;
}

/* Pipelines joined by && and ||, which bind equally, left to right. */
static Tree *
cmd(Parser *p)
{
	Tree *l = pipeline(p);

	while (!p->failed && (p->tok.kind == KAndand || p->tok.kind == KOror)) {
		int kind = p->tok.kind == KAndand ? TAnd : TOr, line = p->tok.line;
		advance(p);
		skipnl(p);
		l = node(p, kind, line, l, pipeline(p));
	}
	return p->failed ? NULL : l;
}

/*
 * Commands separated by ';', '&' and newlines, up to (not past) a token
 * of kind end; sequences nest to the right.  NULL if there are none.
 */
static Tree *
body(Parser *p, int end)
{
	Tree *root = NULL, **tail = &root, *c, *s;

	for (;;) {
		while (!p->failed && (p->tok.kind == KNewline || p->tok.kind == KSemi))
			advance(p);
		if (p->failed || p->tok.kind == end)
			break;
		c = cmd(p);
		if (p->tok.kind == KAmp) {
			c = node(p, TAsync, p->tok.line, c, NULL);
			advance(p);
		} else if (p->tok.kind != KSemi && p->tok.kind != KNewline && p->tok.kind != end)
			syntax(p);
		if (p->failed)
			break;
		if (root == NULL)
			root = c;
		else if ((s = node(p, TSeq, (*tail)->line, *tail, c)) != NULL) {
			*tail = s;
			tail = &s->kid[1];
		}
	}
	return p->failed ? NULL : root;
}

Tree *
rc_parse(const char *src, size_t len, const char **err)
{
	static char errbuf[128];
	Parser p;
	Tree *t, *n;

	memset(&p, 0, sizeof p);
	lex_init(&p.lx, src, len, &p.chain);
	lex_next(&p.lx, &p.tok, LexNormal);
	if (p.tok.kind == KError)
		syntax(&p);
	t = body(&p, KEof);
	lex_free(&p.lx);
	if (!p.failed) {
		*err = NULL;
		return t;
	}
	for (t = p.chain; t; t = n) {
		n = t->chain;
		free(t);
	}
	strlcpy(errbuf, p.err, sizeof errbuf);
	*err = errbuf;
	return NULL;
}

/*
 * One line's worth of commands for the interpreter: the commands up to
 * the first newline outside any bracket (here-document bodies included),
 * or the end of src.  See rc.h.
 */
Tree *
rc_parseline(const char *src, size_t len, size_t *used, int *res, const char **err)
{
	static char errbuf[128];
	Parser p;
	Tree *root = NULL, **tail = &root, *c, *s, *t, *n;

	memset(&p, 0, sizeof p);
	lex_init(&p.lx, src, len, &p.chain);
	lex_next(&p.lx, &p.tok, LexNormal);
	if (p.tok.kind == KError)
		syntax(&p);
	while (!p.failed && p.tok.kind != KNewline && p.tok.kind != KEof) {
		if (p.tok.kind == KSemi) {
			advance(&p);
			continue;
		}
		c = cmd(&p);
		if (p.tok.kind == KAmp) {
			c = node(&p, TAsync, p.tok.line, c, NULL);
			advance(&p);
		} else if (p.tok.kind != KSemi && p.tok.kind != KNewline && p.tok.kind != KEof)
			syntax(&p);
		if (p.failed)
			break;
		if (root == NULL)
			root = c;
		else if ((s = node(&p, TSeq, (*tail)->line, *tail, c)) != NULL) {
			*tail = s;
			tail = &s->kid[1];
		}
	}
	*used = (size_t)(p.lx.p - src);
	*err = NULL;
	if (!p.failed) {
		*res = p.tok.kind == KEof ? ParseEof : ParseOk;
		lex_free(&p.lx);
		return root;
	}
	/* An error at the end of the input may only mean more is to come. */
	*res = p.lx.p >= p.lx.end ? ParseMore : ParseError;
	lex_free(&p.lx);
	for (t = p.chain; t; t = n) {
		n = t->chain;
		free(t);
	}
	strlcpy(errbuf, p.err, sizeof errbuf);
	*err = errbuf;
	return NULL;
}
