/* SPDX-License-Identifier: MIT */
/*
 * Host unit tests of rc's front end (cmd/rc/lex.c, parse.c, tree.c): a
 * table of scripts and the canonical form each must parse to (rc.h
 * lists the forms), a table of malformed scripts that must give an
 * error, and random bytes that must give a tree or an error but never a
 * crash or a leak (the build runs these under ASan and UBSan).
 */
#include "hosttest.h"
#include <stdlib.h>
#include <string.h>

#include "libc.h"
#include "cmd/rc/rc.h"

static const struct {
	const char *src, *want;
} cases[] = {
	/* Simple commands, words and quoting. */
	{"", "()"},
	{"\n\n;;\n", "()"},
	{"echo", "(cmd echo)"},
	{"echo a b c", "(cmd echo a b c)"},
	{"  echo\ta  ", "(cmd echo a)"},
	{"echo 'a b'", "(cmd echo 'a b')"},
	{"echo 'it''s'", "(cmd echo 'it''s')"},
	{"echo ''", "(cmd echo '')"},
	{"echo ''''", "(cmd echo '''')"},
	{"echo 'a\nb'", "(cmd echo 'a\nb')"},
	{"echo if for while fn in not case", "(cmd echo if for while fn in not case)"},
	{"echo a=b", "(cmd echo (^ (^ a =) b))"},
	{"echo !x @y ~z", "(cmd echo !x @y ~z)"},
	{"echo a\\b", "(cmd echo a\\b)"},
	{"/bin/ls -l", "(cmd /bin/ls -l)"},
	{"'if' x", "(cmd 'if' x)"},
	/* Comments and continuation lines. */
	{"echo a # a comment ; b", "(cmd echo a)"},
	{"# only a comment", "()"},
	{"echo a#b", "(cmd echo a)"},
	{"echo a\n# c\necho b", "(; (cmd echo a) (cmd echo b))"},
	{"echo a \\\n b", "(cmd echo a b)"},
	{"echo a\\\nb", "(cmd echo a b)"},
	{"echo '#not a comment'", "(cmd echo '#not a comment')"},
	/* Variables, subscripts, counts, flattening. */
	{"echo $x", "(cmd echo ($ x))"},
	{"echo $#x $\"x", "(cmd echo ($# x) ($\" x))"},
	{"echo $x(1 2)", "(cmd echo ($sub x (list 1 2)))"},
	{"echo $x (1 2)", "(cmd echo ($ x) (list 1 2))"},
	{"echo $$x", "(cmd echo ($ ($ x)))"},
	{"echo $'a b'", "(cmd echo ($ 'a b'))"},
	{"echo $* $1 $#*", "(cmd echo ($ *) ($ 1) ($# *))"},
	{"echo $_a9", "(cmd echo ($ _a9))"},
	/* Free and explicit carets. */
	{"echo a$b", "(cmd echo (^ a ($ b)))"},
	{"echo $a.c", "(cmd echo (^ ($ a) .c))"},
	{"echo $a-$b", "(cmd echo (^ (^ ($ a) -) ($ b)))"},
	{"echo a'b'c", "(cmd echo (^ (^ a 'b') c))"},
	{"echo a^b", "(cmd echo (^ a b))"},
	{"echo a ^ b", "(cmd echo (^ a b))"},
	{"echo (a b)^c", "(cmd echo (^ (list a b) c))"},
	{"echo $x^$y", "(cmd echo (^ ($ x) ($ y)))"},
	/* As in 9base, no free caret after a bracket or before a (. */
	{"echo `{ls}.c", "(cmd echo (` (cmd ls)) .c)"},
	{"echo (a b)c $x(1)b", "(cmd echo (list a b) c ($sub x (list 1)) b)"},
	{"echo a(b)", "(cmd echo a (list b))"},
	/* Lists and backquotes. */
	{"echo ()", "(cmd echo (list))"},
	{"echo (a (b c) d)", "(cmd echo (list a (list b c) d))"},
	{"echo (a\nb)", "(cmd echo (list a b))"},
	{"echo `{ls -l}", "(cmd echo (` (cmd ls -l)))"},
	{"echo `{}", "(cmd echo (`))"},
	{"x=`{echo a | tr a b}", "(= x (` (|[1=0] (cmd echo a) (cmd tr a b))))"},
	/* Assignments. */
	{"a=b", "(= a b)"},
	{"a = b", "(= a b)"},
	{"a=(x y)", "(= a (list x y))"},
	{"a=()", "(= a (list))"},
	{"a=b cmd x", "(= a b (cmd cmd x))"},
	{"a=b c=d cmd", "(= a b (= c d (cmd cmd)))"},
	{"a=b x | y", "(= a b (|[1=0] (cmd x) (cmd y)))"},
	{"a=b'c'", "(= a (^ b 'c'))"},
	{"$x=1", "(= ($ x) 1)"},
	/* Redirections. */
	{"cat <f", "(cmd cat (< 0 f))"},
	{"echo >f", "(cmd echo (> 1 f))"},
	{"echo >>f", "(cmd echo (>> 1 f))"},
	{"cat <>f", "(cmd cat (<> 0 f))"},
	{"echo >[2]f", "(cmd echo (> 2 f))"},
	{"echo >>[2] f", "(cmd echo (>> 2 f))"},
	{"cat <[3] f", "(cmd cat (< 3 f))"},
	{"echo >[2=1]", "(cmd echo (dup 2 1))"},
	{"cat <[0=3]", "(cmd cat (dup 0 3))"},
	{"echo >[2=]", "(cmd echo (close 2))"},
	{"echo a >f b <g c", "(cmd echo a b c (> 1 f) (< 0 g))"},
	{">f", "(cmd (> 1 f))"},
	{"echo >$x.out", "(cmd echo (> 1 (^ ($ x) .out)))"},
	{"{a; b} >f >[2=1]", "({} (; (cmd a) (cmd b)) (> 1 f) (dup 2 1))"},
	/* Here documents. */
	{"cat <<EOF\nhello $x\nEOF\n", "(cmd cat (<< 0 EOF 'hello $x\n'))"},
	{"cat <<'EOF'\nit's\nEOF", "(cmd cat (<< 0 'EOF' 'it''s\n'))"},
	{"cat <<EOF\nEOF\necho x", "(; (cmd cat (<< 0 EOF '')) (cmd echo x))"},
	{"cat <<A; cat <<B\na\nA\nb\nB\necho end",
	 "(; (cmd cat (<< 0 A 'a\n')) (; (cmd cat (<< 0 B 'b\n')) (cmd echo end)))"},
	{"cat <<EOF >f # note\n x\n EOF\nEOF\n", "(cmd cat (<< 0 EOF ' x\n EOF\n') (> 1 f))"},
	{"cat <<EOF | wc\n1\nEOF", "(|[1=0] (cmd cat (<< 0 EOF '1\n')) (cmd wc))"},
	/* Pipelines. */
	{"a | b", "(|[1=0] (cmd a) (cmd b))"},
	{"a | b | c", "(|[1=0] (|[1=0] (cmd a) (cmd b)) (cmd c))"},
	{"a |[2] b", "(|[2=0] (cmd a) (cmd b))"},
	{"a |[2=3] b", "(|[2=3] (cmd a) (cmd b))"},
	{"a |\n\nb", "(|[1=0] (cmd a) (cmd b))"},
	{"a >[2=1] | b", "(|[1=0] (cmd a (dup 2 1)) (cmd b))"},
	{"{a; b} | c", "(|[1=0] ({} (; (cmd a) (cmd b))) (cmd c))"},
	/* Sequences, &, &&, ||, !, @. */
	{"a; b", "(; (cmd a) (cmd b))"},
	{"a\nb\nc", "(; (cmd a) (; (cmd b) (cmd c)))"},
	{"a;", "(cmd a)"},
	{"a &", "(& (cmd a))"},
	{"a & b", "(; (& (cmd a)) (cmd b))"},
	{"a && b", "(&& (cmd a) (cmd b))"},
	{"a || b", "(|| (cmd a) (cmd b))"},
	{"a && b || c", "(|| (&& (cmd a) (cmd b)) (cmd c))"},
	{"a || b && c", "(&& (|| (cmd a) (cmd b)) (cmd c))"},
	{"a &&\nb", "(&& (cmd a) (cmd b))"},
	{"a | b && c | d", "(&& (|[1=0] (cmd a) (cmd b)) (|[1=0] (cmd c) (cmd d)))"},
	{"a && b &", "(& (&& (cmd a) (cmd b)))"},
	{"! a", "(! (cmd a))"},
	{"! a | b", "(! (|[1=0] (cmd a) (cmd b)))"},
	{"! a && b", "(&& (! (cmd a)) (cmd b))"},
	{"! ! a", "(! (! (cmd a)))"},
	{"a | ! b", "(|[1=0] (cmd a) (! (cmd b)))"},
	{"@ {cd /; ls}", "(@ ({} (; (cmd cd /) (cmd ls))))"},
	{"@ a | b", "(@ (|[1=0] (cmd a) (cmd b)))"},
	/* Blocks. */
	{"{}", "({})"},
	{"{a}", "({} (cmd a))"},
	{"{\n a\n b\n}", "({} (; (cmd a) (cmd b)))"},
	{"{a; {b}}", "({} (; (cmd a) ({} (cmd b))))"},
	/* if, if not. */
	{"if(a) b", "(if (cmd a) (cmd b))"},
	{"if(~ $x y) echo yes", "(if (~ ($ x) y) (cmd echo yes))"},
	{"if (a)\n\tb", "(if (cmd a) (cmd b))"},
	{"if(a && b) {c; d}", "(if (&& (cmd a) (cmd b)) ({} (; (cmd c) (cmd d))))"},
	{"if(a) b && c", "(if (cmd a) (&& (cmd b) (cmd c)))"},
	{"if(a) b; c", "(; (if (cmd a) (cmd b)) (cmd c))"},
	{"if(a) b\nif not c", "(; (if (cmd a) (cmd b)) (if-not (cmd c)))"},
	{"if not {a}", "(if-not ({} (cmd a)))"},
	{"if(a; b) c", "(if (; (cmd a) (cmd b)) (cmd c))"},
	/* for, while. */
	{"for(i in a b c) echo $i", "(for i (list a b c) (cmd echo ($ i)))"},
	{"for(i in) x", "(for i (list) (cmd x))"},
	{"for(i) echo $i", "(for i (cmd echo ($ i)))"},
	{"for(i in *.c){\n\tcc $i\n}", "(for i (list *.c) ({} (cmd cc ($ i))))"},
	{"for(i in `{seq 3}) x", "(for i (list (` (cmd seq 3))) (cmd x))"},
	{"while(test -f x) sleep 1", "(while (cmd test -f x) (cmd sleep 1))"},
	{"while(true)\n{ echo x }", "(while (cmd true) ({} (cmd echo x)))"},
	/* switch, case, ~. */
	{"switch($1){\ncase a\n\techo a\ncase *.c b\n\techo c\n}",
	 "(switch (list ($ 1)) (; (case a) (; (cmd echo a) (; (case *.c b) (cmd echo c)))))"},
	{"switch $x {}", "(switch ($ x))"},
	{"switch($x)\n{\ncase *\n}", "(switch (list ($ x)) (case *))"},
	{"~ $x *.c", "(~ ($ x) *.c)"},
	{"~ $x", "(~ ($ x))"},
	{"~ $x a b && echo y", "(&& (~ ($ x) a b) (cmd echo y))"},
	/* fn. */
	{"fn f {echo $*}", "(fn f ({} (cmd echo ($ *))))"},
	{"fn f g {}", "(fn f g ({}))"},
	{"fn f\n{x}", "(; (fn-delete f) ({} (cmd x)))"},
	{"fn f", "(fn-delete f)"},
	{"fn f g", "(fn-delete f g)"},
	{"fn sigint {rm /tmp/x; exit}", "(fn sigint ({} (; (cmd rm /tmp/x) (cmd exit))))"},
	/* A small script. */
	{"#!/bin/rc\n# count\nn=0\nfor(f in $*){\n\tif(test -f $f)\n\t\tn=`{echo $n + 1 | hoc}\n}\necho $n files >[1=2]\n",
	 "(; (= n 0) (; (for f (list ($ *)) ({} (if (cmd test -f ($ f)) (= n (` (|[1=0] (cmd echo ($ n) + 1) (cmd hoc))))))) (cmd echo ($ n) files (dup 1 2))))"},
};

/* Malformed scripts; err, if not NULL, is the message expected. */
static const struct {
	const char *src, *err;
} bad[] = {
	{")", "syntax error near `)` at line 1"},
	{"}", "syntax error near `}` at line 1"},
	{"echo )", "syntax error near `)` at line 1"},
	{"echo a\necho b\necho )", "syntax error near `)` at line 3"},
	{"&", "syntax error near `&` at line 1"},
	{";&", NULL},
	{"a &&", NULL},
	{"a && && b", "syntax error near `&&` at line 1"},
	{"|| a", NULL},
	{"a |", "syntax error near `end of file` at line 1"},
	{"| a", NULL},
	{"a | | b", NULL},
	{"a ^", NULL},
	{"^a", NULL},
	{"a ^ ^ b", NULL},
	{"a ^ ;", NULL},
	{"echo 'abc", "unterminated quote at line 1"},
	{"echo '", NULL},
	{"\n\necho 'x\n", "unterminated quote at line 3"},
	{"echo (a b", NULL},
	{"echo a)", NULL},
	{"{ a", NULL},
	{"{ a }}", NULL},
	{"{ a ) }", NULL},
	{"echo $", NULL},
	{"echo $ x", NULL},
	{"echo $(x)", NULL},
	{"echo $#", NULL},
	{"echo $\"", NULL},
	{"echo $;", NULL},
	{"echo `ls", NULL},
	{"echo ` {ls}", NULL},
	{"echo `", NULL},
	{"echo >", NULL},
	{"echo > ;", NULL},
	{"echo >[x] f", "bad redirection at line 1"},
	{"echo >[2", NULL},
	{"echo >[2=1", NULL},
	{"echo >[] f", NULL},
	{"echo >>[2=1]", NULL},
	{"echo <>[0=1]", NULL},
	{"echo >[99999] f", NULL},
	{"a |[x] b", NULL},
	{"a |[2=] b", NULL},
	{"cat <<", NULL},
	{"cat <<EOF", "unterminated here document at line 1"},
	{"cat <<EOF\nabc\n", NULL},
	{"cat <<$x\nx\n", NULL},
	{"cat <<(a)\n", NULL},
	{"cat <<A$b\n", NULL},
	{"if", NULL},
	{"if(", NULL},
	{"if()", NULL},
	{"if() a", NULL},
	{"if(a)", NULL},
	{"if a", NULL},
	{"if(a) ;", NULL},
	{"if not", NULL},
	{"for", NULL},
	{"for i in a", NULL},
	{"for()", NULL},
	{"for(i in a b", NULL},
	{"for(i in a) ", NULL},
	{"for(;) a", NULL},
	{"while", NULL},
	{"while(a)", NULL},
	{"while a", NULL},
	{"switch", NULL},
	{"switch x", NULL},
	{"switch x a", NULL},
	{"switch x {", NULL},
	{"fn", NULL},
	{"fn {}", NULL},
	{"fn f {", NULL},
	{"~", NULL},
	{"!", NULL},
	{"! ;", NULL},
	{"@", NULL},
	{"a=", NULL},
	{"a=;", NULL},
	{"a= =", NULL},
	{"=", NULL},
	{"a=b )", NULL},
	{"(", NULL},
	{"((", NULL},
	{"{{{", NULL},
	{"`{", NULL},
};

static void
format(const Tree *t, char *buf, size_t n)
{
	Fmt f;
	int m;

	fmtinit(&f, buf, n - 1, NULL, NULL);
	m = rc_fmttree(&f, t);
	buf[(size_t)m < n - 1 ? (size_t)m : n - 1] = 0;
}

static void
test_table(void)
{
	static char got[4096];

	for (size_t i = 0; i < nelem(cases); i++) {
		const char *err = "unset";
		Tree *t = rc_parse(cases[i].src, strlen(cases[i].src), &err);
		CHECKF(err == NULL, "case %zu \"%.140s\": error %.140s", i, cases[i].src, err);
		format(t, got, sizeof got);
		rc_freetree(t);
		CHECKF(strcmp(got, cases[i].want) == 0, "case %zu \"%.140s\":\n got  %.140s\n want %.140s", i,
		       cases[i].src, got, cases[i].want);
	}
}

static void
test_malformed(void)
{
	for (size_t i = 0; i < nelem(bad); i++) {
		const char *err = NULL;
		Tree *t = rc_parse(bad[i].src, strlen(bad[i].src), &err);
		if (t) {
			char got[512];
			format(t, got, sizeof got);
			rc_freetree(t);
			CHECKF(0, "bad %zu \"%.140s\": parsed as %.140s", i, bad[i].src, got);
		}
		CHECKF(err && err[0], "bad %zu \"%.140s\": no error", i, bad[i].src);
		CHECKF(bad[i].err == NULL || strcmp(err, bad[i].err) == 0,
		       "bad %zu \"%.140s\":\n got  %.140s\n want %.140s", i, bad[i].src, err, bad[i].err);
	}
	/* A NUL byte is not the end of the script. */
	const char *err = NULL;
	Tree *t = rc_parse("echo a\0b", 8, &err);
	rc_freetree(t);
	CHECKF(t == NULL && err && strcmp(err, "NUL byte in input at line 1") == 0, "NUL: %.140s",
	       err ? err : "parsed");
	t = rc_parse("echo 'a\0b'", 10, &err);
	rc_freetree(t);
	CHECKF(t == NULL && err, "NUL in quotes parsed");
}

static uint32_t seed = 12345;

static uint32_t
rnd(void)
{
	seed = seed * 1103515245u + 12345u;
	return seed >> 8;
}

/* Mostly rc's own punctuation and keywords, so the parser gets deep. */
static void
randomsrc(char *buf, size_t n, bool anybyte)
{
	static const char *const bits[] = {
		"a", "b", " ", " ", "\n", "'", "''", "$", "$#", "$\"", "`", "^", "=", "(",
		")", "{", "}", ";", "&", "&&", "||", "|", "|[2]", "<", ">", ">>", "<<",
		"<<E", "\nE\n", ">[2=1]", ">[2=]", "#", "\\\n", "if", "if not", "for",
		"in", "while", "switch", "case", "fn", "~", "!", "@", "x=", "[", "]",
	};
	size_t len = 0;

	while (len + 8 < n && rnd() % 24 != 0) {
		if (anybyte) {
			buf[len++] = (char)rnd();
			continue;
		}
		const char *s = bits[rnd() % nelem(bits)];
		size_t m = strlen(s);
		memcpy(buf + len, s, m);
		len += m;
		if (rnd() % 3 == 0)
			buf[len++] = ' ';
	}
	buf[len] = 0;
}

static void
test_random(void)
{
	static char src[256], out[8192];
	int nok = 0, nerr = 0;

	for (int i = 0; i < 200000; i++) {
		const char *err = "unset";
		bool anybyte = i % 4 == 0;
		randomsrc(src, sizeof src, anybyte);
		size_t len = anybyte ? rnd() % sizeof src : strlen(src);
		Tree *t = rc_parse(src, len, &err);
		if (err) {
			CHECKF(t == NULL && err[0], "input %d: error and tree", i);
			nerr++;
		} else {
			format(t, out, sizeof out);
			rc_freetree(t);
			nok++;
		}
	}
	CHECKF(nok > 1000 && nerr > 1000, "too little variety: %d parsed, %d errors", nok, nerr);
}

/* Deep nesting is an error, not a stack overflow; long scripts are fine. */
static void
test_limits(void)
{
	enum { N = 100000 };
	char *s = malloc(2 * N + 8);
	const char *err;
	Tree *t;

	CHECKF(s != NULL, "malloc");
	const char *opens[] = {"{", "(", "`{", "! ", "$", "if(a) ", "a=b ", "x=("};
	for (size_t k = 0; k < nelem(opens); k++) {
		size_t m = strlen(opens[k]), len = 0;
		while (len + m < 2 * N)
			memcpy(s + len, opens[k], m), len += m;
		t = rc_parse(s, len, &err);
		rc_freetree(t);
		if (t == NULL && err == NULL)
			continue;
		if (t != NULL || err == NULL || strstr(err, "nested") == NULL) {
			free(s);
			CHECKF(0, "deep \"%.140s\": %.140s", opens[k], err ? err : "parsed");
		}
	}
	for (size_t i = 0; i < N; i++)
		s[2 * i] = 'a', s[2 * i + 1] = '\n';
	t = rc_parse(s, 2 * N, &err);
	rc_freetree(t);
	for (size_t i = 0; i < N; i++)
		s[2 * i] = 'a', s[2 * i + 1] = '^';
	s[2 * N - 1] = 'b';
	Tree *t2 = rc_parse(s, 2 * N, &err);
	rc_freetree(t2);
	free(s);
	CHECKF(t != NULL && t2 != NULL, "long script: %.150s", err);
}

/*
 * rc_srcstr prints a tree back as source (whatis, functions in /env):
 * every case of the table must parse again to the same tree.
 */
static void
test_source(void)
{
	static char want[4096], got[4096];
	const char *err;

	for (size_t i = 0; i < nelem(cases); i++) {
		Tree *t = rc_parse(cases[i].src, strlen(cases[i].src), &err), *t2;
		char *src;
		if (t == NULL)
			continue;
		format(t, want, sizeof want);
		src = rc_srcstr(t);
		rc_freetree(t);
		CHECKF(src != NULL, "case %zu: no source", i);
		t2 = rc_parse(src, strlen(src), &err);
		format(t2, got, sizeof got);
		rc_freetree(t2);
		if (strcmp(got, want) != 0) {
			snprintf(failmsg, sizeof failmsg, "case %zu \"%.60s\" printed as \"%.60s\": got %.120s want %.120s",
				 i, cases[i].src, src, got, want);
			free(src);
			return;
		}
		free(src);
	}
}

/* rc_parseline: one line at a time, and how it says more is needed. */
static void
test_parseline(void)
{
	static const struct {
		const char *src;
		int res;
		size_t used; /* for ParseOk and ParseEof */
	} lines[] = {
		{"echo a\necho b\n", ParseOk, 7},
		{"echo a; echo b\nc", ParseOk, 15},
		{"\n", ParseOk, 1},
		{"echo a", ParseEof, 6},
		{"", ParseEof, 0},
		{"for(i in a b) {\necho $i\n}\nx", ParseOk, 26},
		{"cat <<EOF\nbody\nEOF\necho", ParseOk, 19},
		{"for(i in a b) {\n", ParseMore, 0},
		{"echo 'a\n", ParseMore, 0},
		{"cat <<EOF\nbody\n", ParseMore, 0},
		{"a &&\n", ParseMore, 0},
		{"echo )\n", ParseError, 0},
	};
	const char *err;
	size_t used;
	int res;

	for (size_t i = 0; i < nelem(lines); i++) {
		Tree *t = rc_parseline(lines[i].src, strlen(lines[i].src), &used, &res, &err);
		rc_freetree(t);
		CHECKF(res == lines[i].res, "line %zu: result %d, want %d (%s)", i, res, lines[i].res,
		       err ? err : "");
		if (res == ParseOk || res == ParseEof)
			CHECKF(used == lines[i].used, "line %zu: used %zu, want %zu", i, used, lines[i].used);
	}
}

static const HostTest tests[] = {
	{test_source, "rcparse.source"},
	{test_parseline, "rcparse.parseline"},
	{test_table, "rcparse.table"},
	{test_malformed, "rcparse.malformed"},
	{test_random, "rcparse.random"},
	{test_limits, "rcparse.limits"},
};

int
main(void)
{
	return hosttest_run(tests, nelem(tests));
}
