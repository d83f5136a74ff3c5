/* SPDX-License-Identifier: MIT */
/* Host tests of the console's cooked-mode line discipline (srv/core/consline.c). */
#include "test/host/hosttest.h"

#include <string.h>

#include "srv/core/consline.h"

/* Type s into l; collect what was delivered (records joined with '|',
 * EOF as "<eof>", interrupts as "<intr>") and the echo. */
static char got[4096], echoed[8192];

static void type(ConsLine *l, const char *s, size_t len)
{
	char e[ConsEchoMax];
	int ne;

	for (size_t i = 0; i < len; i++) {
		switch (consline_input(l, (unsigned char)s[i], e, &ne)) {
		case ConsDeliver:
			strncat(got, l->line, (size_t)l->n);
			strcat(got, "|");
			break;
		case ConsEof:
			strcat(got, "<eof>");
			break;
		case ConsIntr:
			strcat(got, "<intr>");
			break;
		case ConsDump:
			strcat(got, "<dump>");
			break;
		}
		strncat(echoed, e, (size_t)ne);
	}
}

static void reset(ConsLine *l)
{
	memset(l, 0, sizeof *l);
	got[0] = echoed[0] = 0;
}

#define TYPE(l, s) type(l, s, sizeof(s) - 1)
#define EXPECT(want) CHECKF(strcmp(got, want) == 0, "got \"%.200s\", want \"%.200s\"", got, want)
#define EXPECTECHO(want) CHECKF(strcmp(echoed, want) == 0, "echo \"%.200s\", want \"%.200s\"", echoed, want)

static ConsLine L;

static void t_lines(void)
{
	reset(&L);
	TYPE(&L, "ls -l\rcat\n\r");
	EXPECT("ls -l\n|cat\n|\n|");
	EXPECTECHO("ls -l\ncat\n\n");
}

static void t_erase(void)
{
	reset(&L);
	TYPE(&L, "lx\bs\x7f\x7f" "echo\n");
	EXPECT("echo\n|");
	EXPECTECHO("lx\b \bs\b \b\b \becho\n");
	/* erasing past the start does nothing */
	reset(&L);
	TYPE(&L, "\b\b\x7f" "a\n");
	EXPECT("a\n|");
	EXPECTECHO("a\n");
	/* a UTF-8 sequence goes as one character */
	reset(&L);
	TYPE(&L, "x\xc3\xa9\x7fy\n");
	EXPECT("xy\n|");
}

static void t_killword_line(void)
{
	reset(&L);
	TYPE(&L, "rm -rf /\x15" "echo hi  there \x17you\n");
	EXPECT("echo hi  you\n|");
	reset(&L);
	TYPE(&L, "ab\x15");
	EXPECTECHO("ab\b \b\b \b");
	TYPE(&L, "\n");
	EXPECT("\n|");
}

static void t_ctld(void)
{
	reset(&L);
	TYPE(&L, "\x04");
	EXPECT("<eof>");
	reset(&L);
	TYPE(&L, "abc\x04" "def\n\x04");
	EXPECT("abc|def\n|<eof>");
	EXPECTECHO("abcdef\n");
}

static void t_ctlc(void)
{
	reset(&L);
	TYPE(&L, "sleep 100\x03" "date\n");
	EXPECT("<intr>date\n|");
	EXPECTECHO("sleep 100^C\ndate\n");
}

static void t_controls(void)
{
	reset(&L);
	TYPE(&L, "a\tb\x1b[A\x01\n");
	EXPECT("a\tb[A\n|");
	/* ^T asks for a dump and leaves the line as it was */
	reset(&L);
	TYPE(&L, "ab\x14" "c\n");
	EXPECT("<dump>abc\n|");
	EXPECTECHO("abc\n");
}

static void t_full(void)
{
	char big[ConsLineMax + 10];

	reset(&L);
	memset(big, 'x', sizeof big);
	type(&L, big, sizeof big);
	TYPE(&L, "\n");
	/* the first ConsLineMax-1 bytes go as a record, the rest starts a new line */
	CHECK(strlen(got) == (ConsLineMax - 1) + 1 + 11 + 2);
	CHECK(got[ConsLineMax - 1] == '|');
	CHECK(strcmp(got + ConsLineMax, "xxxxxxxxxxx\n|") == 0);
}

static void t_flush(void)
{
	reset(&L);
	TYPE(&L, "abc");
	CHECK(consline_flush(&L) == 3);
	CHECK(memcmp(L.line, "abc", 3) == 0);
	CHECK(consline_flush(&L) == 0);
	TYPE(&L, "d\n");
	EXPECT("d\n|");
	CHECK(consline_flush(&L) == 0);
}

static const HostTest tests[] = {
	{ t_lines, "consline.lines" },
	{ t_erase, "consline.erase" },
	{ t_killword_line, "consline.killword_line" },
	{ t_ctld, "consline.ctld" },
	{ t_ctlc, "consline.ctlc" },
	{ t_controls, "consline.controls" },
	{ t_full, "consline.full" },
	{ t_flush, "consline.flush" },
};

int main(void) { return hosttest_run(tests, sizeof tests / sizeof tests[0]); }
