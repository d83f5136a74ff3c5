/* SPDX-License-Identifier: MIT */
/*
 * rc's executor: walking a tree.  Control flow (; & && || ! if for
 * while switch ~), simple commands (functions, builtins, programs found
 * through $path), pipelines, subshells, redirections and here
 * documents, processes and their statuses.  Errors such as a bad
 * concatenation set errflag, which unwinds every walk back to the line
 * being run (main.c).  Words are made in word.c, builtins in builtin.c.
 */
#include "rc.h"

bool errflag;
bool ifnot;
int incond;       /* inside a condition: -e does not apply */
int bgpids[64];   /* children of &, not yet waited for */
int nbgpids;
/*
 * Jobs of & that ended while rc waited for another child: their
 * statuses, kept for a later `wait PID` (the oldest are dropped first).
 */
static struct {
	int pid;
	char *status;
} ended[16];
static int nended;

static int fndepth;

enum { MaxFnDepth = 300 };

/* The stack of redirections done in this process, to undo them. */
typedef struct Saved Saved;
struct Saved {
	int fd;     /* the descriptor redirected */
	int saved;  /* a copy of what it was, or -1 if it was closed */
};
static Saved saved[64];
static int nsaved;

void
rc_error(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = vsmprint(fmt, ap);
	va_end(ap);
	fprint(2, "rc: %s\n", s ? s : fmt);
	free(s);
	setstatus("error");
	errflag = true;
}

const char *
syserr(void)
{
	static char buf[ERRMAX];

	rerrstr(buf, sizeof buf);
	return buf;
}

void
setstatus(const char *s)
{
	Var *v = var_get("status");

	word_free(v->val);
	v->val = word_new(s, NULL);
}

const char *
getstatus(void)
{
	Word *w = var_val("status");

	return w ? w->s : "";
}

/* A status is true when it holds nothing but zeros and bars. */
bool
truestatus(void)
{
	for (Word *w = var_val("status"); w; w = w->next)
		for (const char *s = w->s; *s; s++)
			if (*s != '0' && *s != '|')
				return false;
	return true;
}

_Noreturn void
exitrc(const char *s)
{
	exits(s && *s ? s : NULL);
}

/*
 * Fork for a child (flags for rfork).  Children that go on running rc
 * code take RFENVG: what they change in /env must not show through to
 * us.  A child that only execs shares our environment, written out
 * here first.
 */
int
rc_fork(int flags)
{
	int pid;

	var_export();
	if ((pid = rfork(flags)) < 0) {
		rc_error("can't fork: %s", syserr());
		return -1;
	}
	if (pid == 0) {
		/* the child's own children are its business */
		nbgpids = 0;
		nended = 0;
		interrupted = 0;
	}
	return pid;
}

/* pid ended while rc waited for another child: if it was a job of &, keep its status. */
static void
forgetbg(int pid, const char *status)
{
	for (int i = 0; i < nbgpids; i++)
		if (bgpids[i] == pid) {
			bgpids[i] = bgpids[--nbgpids];
			if (nended == (int)nelem(ended)) {
				free(ended[0].status);
				memmove(ended, ended + 1, sizeof ended[0] * (nelem(ended) - 1));
				nended--;
			}
			ended[nended].pid = pid;
			ended[nended++].status = strdup(status);
			return;
		}
}

/*
 * wait PID: the status of job pid of &, malloc'd: the one kept if it
 * has ended already, else waited for; "" at once if it is no job of
 * this rc (or was waited for before).
 */
char *
waitbg(int pid)
{
	for (int i = 0; i < nended; i++)
		if (ended[i].pid == pid) {
			char *s = ended[i].status;
			memmove(ended + i, ended + i + 1, sizeof ended[0] * (size_t)(nended - i - 1));
			nended--;
			return s;
		}
	for (int i = 0; i < nbgpids; i++)
		if (bgpids[i] == pid) {
			bgpids[i] = bgpids[--nbgpids];
			return waitfor(pid);
		}
	return strdup("");
}

/* Wait for child pid; its status, malloc'd.  Others that end are forgotten. */
char *
waitfor(int pid)
{
	Waitmsg *w;
	char *s;

	for (;;) {
		if ((w = wait()) == NULL) {
			/* An interrupted wait: the child has the note too, and
			 * ends; wait for that.  Any other error: no children. */
			if (interrupted && strstr(syserr(), "nterrupt"))
				continue;
			return strdup("");
		}
		if (w->pid == pid) {
			s = strdup(w->msg);
			free(w);
			return s;
		}
		forgetbg(w->pid, w->msg);
		free(w);
	}
}

/* $home/... or the first $path entry where cmd is; malloc'd or NULL. */
char *
pathsearch(const char *cmd)
{
	char *p;

	if (cmd[0] == '/' || cmd[0] == '#' || strncmp(cmd, "./", 2) == 0 ||
	    strncmp(cmd, "../", 3) == 0)
		return access(cmd, AEXEC) == 0 ? strdup(cmd) : NULL;
	for (Word *d = var_val("path"); d; d = d->next) {
		p = *d->s ? smprint("%s/%s", d->s, cmd) : strdup(cmd);
		if (access(p, AEXEC) == 0) {
			Dir *st = dirstat(p);
			bool isdir = st && (st->mode & DMDIR);
			free(st);
			if (!isdir)
				return p;
		}
		free(p);
	}
	return NULL;
}

/* Replace this process with argv[0], found through $path. */
_Noreturn void
execext(Word *argv)
{
	int n = word_count(argv), i = 0;
	char **av = malloc((n + 1) * sizeof *av), *p, err[ERRMAX];

	for (int j = 0; j < nsaved; j++)
		if (saved[j].saved >= 0)
			close(saved[j].saved);
	var_export();
	for (Word *w = argv; w; w = w->next)
		av[i++] = w->s;
	av[i] = NULL;
	strlcpy(err, "file does not exist", sizeof err);
	if (strchr(av[0], '/') || av[0][0] == '#') {
		exec(av[0], av);
		rerrstr(err, sizeof err);
	} else {
		for (Word *d = var_val("path"); d; d = d->next) {
			p = *d->s ? smprint("%s/%s", d->s, av[0]) : strdup(av[0]);
			exec(p, av);
			free(p);
			/* keep the first error that is not a plain absence */
			if (strstr(err, "does not exist") || strstr(err, "No such"))
				rerrstr(err, sizeof err);
		}
	}
	fprint(2, "%s: %s\n", av[0], err);
	exits(err);
}

/*
 * Here documents go to the command through a pipe, written by a child
 * so that a long one cannot block the shell.  The result is the
 * reading end.
 */
static int
heredoc(Tree *r)
{
	int p[2], pid;
	char *body = strdup(r->kid[1]->str);

	if (r->kid[0]->kind == TWord) {
		char *s = body;
		body = heresubst(s);
		free(s);
	}
	if (pipe(p) < 0) {
		free(body);
		return -1;
	}
	if ((pid = rfork(RFPROC | RFFDG | RFNOWAIT)) < 0) {
		close(p[0]);
		close(p[1]);
		free(body);
		return -1;
	}
	if (pid == 0) {
		close(p[0]);
		write(p[1], body, (long)strlen(body));
		exits(NULL);
	}
	close(p[1]);
	free(body);
	return p[0];
}

/* The one file name a redirection names, or NULL after an error. */
static char *
target(Tree *w)
{
	Word *l = rc_glob(eval_word(w));
	char *s;

	if (errflag)
		return NULL;
	if (l == NULL || l->next) {
		word_free(l);
		rc_error("bad redirection target");
		return NULL;
	}
	s = strdup(l->s);
	word_free(l);
	return s;
}

static int
openredir(Tree *r)
{
	char *name;
	int fd = -1;

	if (r->op == RHere)
		return heredoc(r);
	if ((name = target(r->kid[0])) == NULL)
		return -2;
	switch (r->op) {
	case RIn:
		fd = open(name, OREAD);
		break;
	case ROut:
		fd = create(name, OWRITE, 0666);
		break;
	case RAppend:
	case RRdwr:
		fd = open(name, r->op == RAppend ? OWRITE : ORDWR);
		if (fd < 0)
			fd = create(name, r->op == RAppend ? OWRITE : ORDWR, 0666);
		if (fd >= 0 && r->op == RAppend)
			seek(fd, 0, SEEKEND);
		break;
	}
	if (fd < 0)
		rc_error("can't open %s: %s", name, syserr());
	free(name);
	return fd;
}

/* Make fd a copy of from (or closed, if from < 0), saving it if save. */
static void
redirect(int fd, int from, bool save)
{
	if (save && nsaved < (int)nelem(saved)) {
		saved[nsaved].fd = fd;
		saved[nsaved].saved = dup(fd, -1);
		nsaved++;
	}
	if (from < 0)
		close(fd);
	else if (from != fd)
		dup(from, fd);
}

/* Do the redirections of the list, in order. */
int
pushredirs(Tree *r, bool save)
{
	int n = nsaved, fd;

	for (; r && !errflag; r = r->next) {
		switch (r->op) {
		case RDup:
			redirect(r->fd[0], r->fd[1], save);
			continue;
		case RClose:
			redirect(r->fd[0], -1, save);
			continue;
		}
		if ((fd = openredir(r)) < 0) {
			if (!errflag)
				rc_error("can't redirect: %s", syserr());
			break;
		}
		redirect(r->fd[0], fd, save);
		if (fd != r->fd[0])
			close(fd);
	}
	if (errflag) {
		if (save)
			popredirs(nsaved - n);
		return -1;
	}
	return save ? nsaved - n : 0;
}

void
popredirs(int n)
{
	for (; n > 0 && nsaved > 0; n--) {
		Saved *s = &saved[--nsaved];
		if (s->saved < 0)
			close(s->fd);
		else {
			dup(s->saved, s->fd);
			close(s->saved);
		}
	}
}

/* -x: the words as they are, as 9base prints them. */
static void
trace(Word *argv)
{
	char *s = word_flat(argv, " ");

	fprint(2, "%s\n", s);
	free(s);
}

static void
callfn(Var *fn, Word *argv, Tree *redirs)
{
	int n;
	Tree *body = fn->fn;

	if (fndepth >= MaxFnDepth) {
		word_free(argv);
		rc_error("%s: functions nested too deeply", fn->name);
		return;
	}
	if ((n = pushredirs(redirs, true)) < 0) {
		word_free(argv);
		return;
	}
	var_push("*", argv->next);
	argv->next = NULL;
	word_free(argv);
	fndepth++;
	fn->busy++;
	run(body->kid[0]);
	fn->busy--;
	fndepth--;
	var_pop("*");
	popredirs(n);
}

/*
 * Run the command argv (consumed) with redirections redirs.  inchild:
 * this process was made for it, so a program replaces it.
 */
static void
runargs(Word *argv, Tree *redirs, bool nofn, bool inchild)
{
	Var *fn;
	Builtin *b;
	int n, pid;
	char *st;

	if (!nofn && (fn = fn_look(argv->s)) != NULL) {
		callfn(fn, argv, redirs);
		return;
	}
	if (strcmp(argv->s, "exec") == 0 || strcmp(argv->s, "builtin") == 0) {
		Word *rest = argv->next;
		bool isexec = argv->s[0] == 'e';
		argv->next = NULL;
		word_free(argv);
		if (rest == NULL) {
			if (isexec)
				pushredirs(redirs, false);
			setstatus("");
			return;
		}
		if (isexec) {
			if (pushredirs(redirs, false) >= 0)
				execext(rest);
			word_free(rest);
			return;
		}
		runargs(rest, redirs, true, inchild);
		return;
	}
	if ((b = builtin_look(argv->s)) != NULL) {
		if ((n = pushredirs(redirs, true)) >= 0) {
			b(argv);
			popredirs(n);
		}
		word_free(argv);
		return;
	}
	if (inchild) {
		if (pushredirs(redirs, false) >= 0)
			execext(argv);
		exitrc(getstatus());
	}
	if ((pid = rc_fork(RFPROC | RFFDG)) < 0) {
		word_free(argv);
		return;
	}
	if (pid == 0) {
		if (pushredirs(redirs, false) < 0)
			exitrc(getstatus());
		execext(argv);
	}
	word_free(argv);
	st = waitfor(pid);
	setstatus(st);
	free(st);
}

static void
runsimple(Tree *t, bool inchild)
{
	Word *argv = eval_words(t->kid[0], true);
	int n;

	if (errflag)
		return;
	if (flags['x'] && argv)
		trace(argv);
	if (argv == NULL) {
		/* redirections alone: files are made, nothing runs */
		if ((n = pushredirs(t->kid[1], true)) >= 0) {
			popredirs(n);
			setstatus("");
		}
		return;
	}
	runargs(argv, t->kid[1], false, inchild);
}

void
runlist(Word *argv, bool nofn)
{
	if (argv)
		runargs(argv, NULL, nofn, false);
}

/* In a process made for t: run it and end with its status. */
_Noreturn void
runchild(Tree *t)
{
	if (t && t->kind == TSimple)
		runsimple(t, true);
	else
		run(t);
	exitrc(getstatus());
}

static void
runpipe(Tree *t)
{
	Tree *cmds[64];
	int infd[64], outfd[64], pids[64], n = 0, i, p[2], prev = -1;
	char *sts[64];
	Tree *u;

	/* a|b|c is ((a|b)|c): the commands are found right to left */
	for (u = t; u->kind == TPipe; u = u->kid[0])
		n++;
	if (++n > (int)nelem(cmds)) {
		rc_error("pipeline too long");
		return;
	}
	i = n - 1;
	for (u = t; u->kind == TPipe; u = u->kid[0], i--) {
		cmds[i] = u->kid[1];
		infd[i] = u->fd[1];
		outfd[i - 1] = u->fd[0];
	}
	cmds[0] = u;
	/* command i reads infd[i] from command i-1, writes outfd[i] to i+1 */
	for (i = 0; i < n; i++) {
		if (i < n - 1 && pipe(p) < 0) {
			rc_error("can't make pipe: %s", syserr());
			n = i;
			break;
		}
		if ((pids[i] = rc_fork(RFPROC | RFFDG | RFENVG)) < 0) {
			n = i;
			break;
		}
		if (pids[i] == 0) {
			if (prev >= 0) {
				dup(prev, infd[i]);
				close(prev);
			}
			if (i < n - 1) {
				close(p[0]);
				dup(p[1], outfd[i]);
				close(p[1]);
			}
			runchild(cmds[i]);
		}
		if (prev >= 0)
			close(prev);
		if (i < n - 1) {
			close(p[1]);
			prev = p[0];
		}
	}
	if (prev >= 0)
		close(prev);
	for (i = 0; i < n; i++)
		sts[i] = waitfor(pids[i]);
	if (n > 0) {
		Word *l = NULL;
		for (int i = n - 1; i >= 0; i--)
			l = word_new(sts[i], l);
		char *s = word_flat(l, "|");
		setstatus(s);
		free(s);
		word_free(l);
		for (int i = 0; i < n; i++)
			free(sts[i]);
	}
}

static void
runasync(Tree *t)
{
	int pid, fd;
	char buf[16];

	if ((pid = rc_fork(RFPROC | RFFDG | RFENVG | RFNOTEG)) < 0)
		return;
	if (pid == 0) {
		if ((fd = open("/dev/null", OREAD)) >= 0) {
			dup(fd, 0);
			close(fd);
		}
		runchild(t);
	}
	if (nbgpids < (int)nelem(bgpids))
		bgpids[nbgpids++] = pid;
	snprint(buf, sizeof buf, "%d", pid);
	var_setstr("apid", buf);
	setstatus("");
}

static void
runsubshell(Tree *t)
{
	int pid;
	char *st;

	if ((pid = rc_fork(RFPROC | RFFDG | RFENVG)) < 0)
		return;
	if (pid == 0)
		runchild(t);
	st = waitfor(pid);
	setstatus(st);
	free(st);
}

static void
runfor(Tree *t)
{
	Word *list, *w;
	char *name;

	list = eval_word(t->kid[0]);
	if (errflag)
		return;
	if (list == NULL || list->next) {
		word_free(list);
		rc_error("for: variable name not singleton!");
		return;
	}
	name = strdup(unglob(list->s));
	word_free(list);
	list = t->kid[1] ? eval_words(t->kid[1]->kid[0], true) : word_copy(var_val("*"));
	/* The variable is local to the loop, as in 9base. */
	var_push(name, NULL);
	for (w = list; w && !errflag && !interrupted; w = w->next) {
		var_setstr(name, w->s);
		run(t->kid[2]);
	}
	var_pop(name);
	word_free(list);
	free(name);
}

static void
runwhile(Tree *t)
{
	while (!errflag && !interrupted) {
		incond++;
		run(t->kid[0]);
		incond--;
		if (errflag || !truestatus())
			break;
		run(t->kid[1]);
	}
}

/* -e: a failed command ends the shell, except in a condition. */
static void
checkerr(void)
{
	if (flags['e'] && !incond && !errflag && !truestatus())
		exitrc(getstatus());
}

/* Whether the words of subj, joined by spaces, match any of pats. */
static bool
matches(Word *subj, Word *pats)
{
	char *s;
	bool r = false;

	for (Word *w = subj; w; w = w->next)
		unglob(w->s);
	s = word_flat(subj, " ");
	for (Word *p = pats; p && !r; p = p->next)
		r = rc_match(s, p->s);
	free(s);
	return r;
}

static void
runmatch(Tree *t)
{
	Word *subj, *pats;

	if (t->kid[0] == NULL)
		return;
	subj = eval_word(t->kid[0]);
	pats = eval_words(t->kid[0]->next, false);
	if (!errflag)
		setstatus(matches(subj, pats) ? "" : "no match");
	word_free(subj);
	word_free(pats);
	checkerr();
}

static void
runswitch(Tree *t)
{
	Word *subj = eval_word(t->kid[0]), *pats;
	Tree *b = t->kid[1], *c;
	bool on = false;

	if (errflag)
		return;
	for (Word *s = subj; s; s = s->next)
		unglob(s->s);
	while (b && !errflag && !interrupted) {
		c = b->kind == TSeq ? b->kid[0] : b;
		b = b->kind == TSeq ? b->kid[1] : NULL;
		if (c->kind == TCase) {
			if (on)
				break;
			pats = eval_words(c->kid[0], false);
			on = !errflag && matches(subj, pats);
			word_free(pats);
		} else if (on)
			run(c);
	}
	word_free(subj);
}

static void
runassign(Tree *t)
{
	Word *name = eval_word(t->kid[0]), *val;
	char *n;

	if (errflag)
		return;
	if (name == NULL || name->next || !var_valid(unglob(name->s))) {
		word_free(name);
		rc_error("variable name not singleton!");
		return;
	}
	val = rc_glob(eval_word(t->kid[1]));
	if (errflag) {
		word_free(name);
		return;
	}
	n = name->s;
	if (t->kid[2] == NULL)
		var_set(n, val);
	else {
		var_push(n, val);
		run(t->kid[2]);
		var_pop(n);
	}
	word_free(name);
}

static void
runfn(Tree *t, bool define)
{
	Word *names = eval_words(t->kid[0], false);

	for (Word *w = names; w && !errflag; w = w->next) {
		unglob(w->s);
		if (define)
			fn_define(w->s, t->kid[1]);
		else
			fn_delete(w->s);
	}
	word_free(names);
}

static void
runbrace(Tree *t)
{
	int n = pushredirs(t->kid[1], true);

	if (n < 0)
		return;
	run(t->kid[0]);
	popredirs(n);
}

void
run(Tree *t)
{
	for (; t && !errflag && !interrupted; t = t->kid[1]) {
		if (t->kind != TSeq)
			break;
		run(t->kid[0]);
	}
	if (t == NULL || errflag || interrupted)
		return;
	switch (t->kind) {
	case TSimple:
		runsimple(t, false);
		checkerr();
		break;
	case TPipe:
		runpipe(t);
		checkerr();
		break;
	case TAsync:
		runasync(t->kid[0]);
		break;
	case TAnd:
	case TOr:
		incond++;
		run(t->kid[0]);
		incond--;
		if (truestatus() == (t->kind == TAnd))
			run(t->kid[1]);
		break;
	case TNot:
		incond++;
		run(t->kid[0]);
		incond--;
		if (!errflag)
			setstatus(truestatus() ? "false" : "");
		break;
	case TSubshell:
		runsubshell(t->kid[0]);
		checkerr();
		break;
	case TBrace:
		runbrace(t);
		break;
	case TIf:
		incond++;
		run(t->kid[0]);
		incond--;
		if (errflag)
			break;
		if (truestatus()) {
			run(t->kid[1]);
			ifnot = false;
		} else
			ifnot = true;
		break;
	case TIfNot:
		if (ifnot)
			run(t->kid[0]);
		break;
	case TFor:
		runfor(t);
		break;
	case TWhile:
		runwhile(t);
		break;
	case TSwitch:
		runswitch(t);
		break;
	case TCase:
		break;
	case TMatch:
		runmatch(t);
		break;
	case TFn:
	case TFnDelete:
		runfn(t, t->kind == TFn);
		break;
	case TAssign:
		runassign(t);
		break;
	default:
		rc_error("can't run a node of kind %d", t->kind);
	}
}
