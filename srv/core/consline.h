/* SPDX-License-Identifier: MIT */
/*
 * The console's line discipline (cooked mode), as a pure function of a
 * small state, so the host tests can drive it: consline_input takes one
 * typed byte and says what became of it.  devcons.c owns the state, the
 * input queue it feeds and the serial port; this file only edits a line.
 */
#ifndef CORE_CONSLINE_H
#define CORE_CONSLINE_H

enum {
	ConsLineMax = 512,                 /* longest line, newline included */
	ConsEchoMax = 3 * ConsLineMax + 8, /* most echo one byte can cause (^U) */
};

/* What consline_input did with a byte. */
enum {
	ConsMore,    /* still editing: nothing to deliver */
	ConsDeliver, /* line[0..n) is a finished record (with '\n', or without after ^D or when full) */
	ConsEof,     /* ^D on an empty line: deliver an end of file */
	ConsIntr,    /* ^C: the line was discarded; post "interrupt" */
	ConsDump,    /* ^T: print what every process is doing (a debugging aid); the line stays */
};

typedef struct ConsLine ConsLine;
struct ConsLine {
	char line[ConsLineMax];
	int n;    /* bytes in line */
	int done; /* line holds a delivered record: the next byte starts afresh */
};

/*
 * Feed the typed byte c (0..255) to l, a zeroed ConsLine at first.
 * The bytes to echo go to echo[0..*necho) (at most ConsEchoMax; "\n"
 * ends a line, the kernel console adds the "\r").  Returns one of the
 * values above; after ConsDeliver the caller copies line[0..n) before
 * the next call.  \r and \n end a line; BS and DEL erase a character
 * (a whole UTF-8 sequence), ^W a word, ^U the line; ^T asks for a
 * process dump; other control bytes except tab are dropped.
 */
int consline_input(ConsLine *l, int c, char *echo, int *necho);
/* Take the line being edited as it is (for a switch to raw mode): its
 * length, with the bytes in line[0..n); the line is empty afterwards. */
int consline_flush(ConsLine *l);

#endif
