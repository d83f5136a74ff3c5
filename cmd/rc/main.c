/* SPDX-License-Identifier: MIT */
/*
 * rc, the shell: start-up, flags, and the loop that reads commands a
 * line at a time (from a script, -c, the console with prompts, or the
 * file of the . builtin), parses them (parse.c) and runs them
 * (exec.c).  Interrupts arrive as the note "interrupt": the command in
 * the foreground gets it too and dies, and the loop prompts again.
 */
#include "rc.h"

bool flags[128];
bool interactive;
volatile int interrupted;
int rcpid;
static int rundepth; /* nesting of rc_runfd/rc_runstr */

typedef struct Input Input;
struct Input {
	int fd;
	const char *name;
	char *buf;
	size_t n, cap, off; /* buf[off..n) is read but not yet run */
	int line;           /* of buf[off] */
	bool eof, inter;
};

static void
usage(void)
{
	fprint(2, "usage: rc [-eilvxI] [-c command] [file [arg ...]]\n");
	exits("usage");
}

/* Notes: an interrupt stops what runs; others take their default course. */
static int
onnote(void *ureg, char *note)
{
	(void)ureg;
	if (strcmp(note, "interrupt") == 0) {
		interrupted = 1;
		return 1;
	}
	return 0;
}

/* Read what is there into in->buf; 0 at the end, -1 if interrupted. */
static long
readmore(Input *in)
{
	long m;

	if (in->off > 0 && in->off == in->n)
		in->off = in->n = 0;
	if (in->n + 1024 > in->cap) {
		if (in->off > 0) {
			memmove(in->buf, in->buf + in->off, in->n - in->off);
			in->n -= in->off;
			in->off = 0;
		}
		if (in->n + 1024 > in->cap) {
			in->cap = in->cap ? 2 * in->cap : 8192;
			if ((in->buf = realloc(in->buf, in->cap)) == NULL)
				sysfatal("out of memory");
		}
	}
	m = read(in->fd, in->buf + in->n, (long)(in->cap - in->n - 1));
	if (m < 0 && interrupted)
		return -1;
	if (m <= 0) {
		in->eof = true;
		return 0;
	}
	if (flags['v'])
		write(2, in->buf + in->n, m);
	in->n += (size_t)m;
	return m;
}

static void
prompt(bool more)
{
	Word *p = var_val("prompt");

	if (more && p)
		p = p->next;
	if (p)
		fprint(2, "%s", p->s);
}

/*
 * After a line has run: an interrupt or an error ends a script; at the
 * console it only ends the line.  Returns true if the loop goes on.
 */
static bool
afterline(Input *in)
{
	if (interrupted) {
		interrupted = 0;
		if (!in->inter)
			exitrc("interrupted");
		fprint(2, "\n");
		setstatus("interrupted");
		errflag = false;
	}
	if (errflag) {
		if (!in->inter && rundepth == 1)
			exitrc(getstatus());
		if (!in->inter)
			return false; /* up to the outer loop */
		errflag = false;
	}
	return true;
}

static void
syntaxerr(Input *in, const char *err)
{
	fprint(2, "rc: %s: %s\n", in->name, err);
	setstatus("syntax error");
	if (!in->inter) {
		if (rundepth == 1)
			exitrc("syntax error");
		errflag = true;
	}
}

/* The loop over one input: parse a line, run it, until the end. */
static void
loop(Input *in)
{
	const char *err;
	size_t used;
	int res;
	Tree *t;

	for (;;) {
		if (in->off < in->n || in->eof) {
			t = rc_parseline(in->buf + in->off, in->n - in->off, &used, &res, &err);
			if (res == ParseOk || (res == ParseEof && in->eof)) {
				in->off += used;
				run(t);
				rc_freetree(t);
				if (!afterline(in))
					return;
				if (res == ParseEof)
					return;
				continue;
			}
			rc_freetree(t);
			if (res == ParseError || (res == ParseMore && in->eof)) {
				syntaxerr(in, res == ParseMore ? "unexpected end of file" : err);
				if (errflag || in->eof)
					return;
				in->off = in->n; /* the rest of the line */
				continue;
			}
		}
		if (in->inter)
			prompt(in->off < in->n);
		if (readmore(in) < 0) {
			interrupted = 0;
			fprint(2, "\n");
			in->off = in->n;
			setstatus("interrupted");
		}
	}
}

int
rc_runfd(int fd, const char *name, bool inter)
{
	Input in;
	bool oldinter = interactive;

	memset(&in, 0, sizeof in);
	in.fd = fd;
	in.name = name;
	in.inter = inter;
	interactive = inter;
	rundepth++;
	loop(&in);
	rundepth--;
	interactive = oldinter;
	free(in.buf);
	return 0;
}

int
rc_runstr(const char *s)
{
	const char *err;
	Tree *t = rc_parse(s, strlen(s), &err);

	if (err) {
		fprint(2, "rc: eval: %s\n", err);
		setstatus("syntax error");
		return -1;
	}
	rundepth++;
	run(t);
	rundepth--;
	rc_freetree(t);
	return 0;
}

static Word *
argwords(int argc, char **argv)
{
	Word *l = NULL, **t = &l;

	for (int i = 0; i < argc; i++) {
		*t = word_new(argv[i], NULL);
		t = &(*t)->next;
	}
	return l;
}

static void
defaults(void)
{
	char buf[32];

#ifdef HOSTP9
	/* On the host the environment is POSIX's: $path comes from $PATH. */
	char *p = getenv("PATH"), *h = getenv("HOME");
	if (var_val("path") == NULL && p) {
		Word *l = NULL, **t = &l;
		for (char *s = p, *e; *s; s = *e ? e + 1 : e) {
			for (e = s; *e && *e != ':'; e++)
				;
			*t = word_newn(s, (size_t)(e - s), NULL);
			t = &(*t)->next;
		}
		var_set("path", l);
	}
	if (var_val("home") == NULL && h)
		var_setstr("home", h);
	free(p);
	free(h);
#endif
	if (var_val("path") == NULL)
		var_set("path", word_new(".", word_new("/bin", NULL)));
	if (var_val("prompt") == NULL)
		var_set("prompt", word_new("% ", word_new("\t", NULL)));
	if (var_val("ifs") == NULL)
		var_set("ifs", word_new(" ", word_new("\t", word_new("\n", NULL))));
	rcpid = getpid();
	snprint(buf, sizeof buf, "%d", rcpid);
	var_setstr("pid", buf);
	setstatus("");
}

/* Whether fd 0 is the console, where rc talks to a person. */
static bool
console(void)
{
	char buf[64];

	if (fd2path(0, buf, sizeof buf) < 0)
		return false;
	return strcmp(buf, "/dev/cons") == 0 || strncmp(buf, "/dev/pts/", 9) == 0 ||
	       strncmp(buf, "/dev/tty", 8) == 0;
}

int
main(int argc, char **argv)
{
	char *cmd = NULL, *name = argv[0] ? argv[0] : "rc";
	int fd;

	/* Flags by hand: -c takes the next argument, as in rc(1). */
	for (argv++, argc--; argc > 0 && argv[0][0] == '-' && argv[0][1]; argv++, argc--) {
		if (strcmp(argv[0], "--") == 0) {
			argv++, argc--;
			break;
		}
		for (const char *f = argv[0] + 1; *f; f++) {
			if (*f == 'c') {
				if (argc < 2)
					usage();
				cmd = argv[1];
				argv++, argc--;
				break;
			}
			if (!strchr("eiIlvxrspd", *f))
				usage();
			flags[*f & 0x7f] = true;
		}
	}

	atnotify(onnote, 1);
	var_import();
	defaults();
	if (flags['l']) {
		Word *h = var_val("home");
		char *prof = h ? smprint("%s/lib/profile", h->s) : NULL;
		if (prof && (fd = open(prof, OREAD)) >= 0) {
			rc_runfd(fd, prof, false);
			close(fd);
		}
		free(prof);
	}
	if (cmd) {
		var_setstr("0", name);
		var_set("*", argwords(argc, argv));
		rundepth++;
		rc_runstr(cmd);
		exitrc(getstatus());
	}
	if (argc > 0) {
		var_setstr("0", argv[0]);
		var_set("*", argwords(argc - 1, argv + 1));
		if ((fd = open(argv[0], OREAD)) < 0) {
			fprint(2, "rc: can't open %s: %s\n", argv[0], syserr());
			exits("can't open");
		}
		rc_runfd(fd, argv[0], flags['i']);
		exitrc(getstatus());
	}
	var_setstr("0", name);
	var_set("*", NULL);
	if (!flags['I'] && (flags['i'] || console()))
		flags['i'] = true;
	rc_runfd(0, "stdin", flags['i']);
	exitrc(getstatus());
}
