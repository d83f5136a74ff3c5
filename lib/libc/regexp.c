/* SPDX-License-Identifier: MIT */
/*
 * Regular expressions (regexp.h): a recursive-descent parser builds a
 * small tree, the tree is flattened into a program for a Pike VM, and
 * regexec runs all threads of that program in lock step over the text,
 * so no pattern can make it backtrack.  Glob matching for rc is not here
 * but with rc.
 */
#include "libc.h"
#include "regexp.h"

/* Tree nodes. */
enum { NLit, NAny, NClass, NBol, NEol, NEmpty, NCat, NAlt, NStar, NPlus, NQuest, NGroup };

typedef struct Node Node;
struct Node {
	int type;
	int arg;       /* NLit: the character; NClass: class index; NGroup: group number */
	Node *l, *r;   /* NCat, NAlt: both; repetitions and NGroup: l */
};

/* Instructions.  x and y are instruction indices. */
enum { IChar, IAny, IClass, IBol, IEol, ISplit, IJmp, ISave, IMatch };

typedef struct Inst {
	int op;
	int arg; /* IChar: the character; IClass: class index; ISave: capture slot */
	int x;   /* ISplit (preferred), IJmp: target */
	int y;   /* ISplit: the other target */
} Inst;

typedef uint8_t Class[32]; /* a bit per byte value */

struct Reprog {
	int ninst;
	int nsub;      /* groups, counting the whole match */
	Inst *inst;
	Class *cls;
};

/* The parser's state, for one regcomp. */
typedef struct Parse {
	const char *p;   /* next pattern character */
	const char *err; /* first error, or NULL */
	Node *node;      /* node pool */
	int nnode, maxnode;
	Class *cls;      /* class pool */
	int ncls, maxcls;
	int nsub;
} Parse;

static const char Emissingparen[] = "missing )";
static const char Eunmatchedparen[] = "unmatched )";
static const char Emissingbracket[] = "missing ]";
static const char Ebackslash[] = "trailing backslash";
static const char Eoperand[] = "missing operand for repetition";
static const char Erange[] = "bad range in class";
static const char Egroups[] = "too many groups";
static const char Elong[] = "pattern too long";
static const char Enomem[] = "out of memory";

static Node *
newnode(Parse *ps, int type, int arg, Node *l, Node *r)
{
	Node *n;

	/* The pool is sized from the pattern's length; running out is a bug. */
	if (ps->nnode >= ps->maxnode) {
		ps->err = Elong;
		return NULL;
	}
	n = &ps->node[ps->nnode++];
	n->type = type;
	n->arg = arg;
	n->l = l;
	n->r = r;
	return n;
}

/* The character after a backslash at ps->p, which is then passed. */
static int
escape(Parse *ps)
{
	int c = (unsigned char)*ps->p;

	if (c == 0) {
		ps->err = Ebackslash;
		return 0;
	}
	ps->p++;
	if (c == 'n')
		return '\n';
	if (c == 't')
		return '\t';
	return c;
}

/* One member of a class at ps->p: a character or an escape. */
static int
classchar(Parse *ps)
{
	int c = (unsigned char)*ps->p++;

	if (c == '\\')
		return escape(ps);
	return c;
}

/* A class; ps->p is just after '['. */
static Node *
parseclass(Parse *ps)
{
	bool neg = false, first = true;
	uint8_t *bits;
	int i;

	if (ps->ncls >= ps->maxcls) {
		ps->err = Elong;
		return NULL;
	}
	bits = ps->cls[ps->ncls];
	memset(bits, 0, sizeof(Class));
	if (*ps->p == '^') {
		neg = true;
		ps->p++;
	}
	for (;; first = false) {
		int lo, hi;

		if (*ps->p == 0) {
			ps->err = Emissingbracket;
			return NULL;
		}
		if (*ps->p == ']' && !first)
			break;
		lo = hi = classchar(ps);
		if (ps->err)
			return NULL;
		if (ps->p[0] == '-' && ps->p[1] != ']' && ps->p[1] != 0) {
			ps->p++;
			hi = classchar(ps);
			if (ps->err)
				return NULL;
			if (hi < lo) {
				ps->err = Erange;
				return NULL;
			}
		}
		for (i = lo; i <= hi; i++)
			bits[i / 8] |= 1 << (i % 8);
	}
	ps->p++; /* the ']' */
	if (neg)
		for (i = 0; i < 32; i++)
			bits[i] = ~bits[i];
	bits[0] &= ~1; /* NUL ends the text; no class matches it */
	return newnode(ps, NClass, ps->ncls++, NULL, NULL);
}

static Node *parsealt(Parse *ps);

static Node *
parseatom(Parse *ps)
{
	int c = (unsigned char)*ps->p++;
	Node *n;

	switch (c) {
	case '(':
		/* This also bounds the nesting, and so the parser's recursion. */
		if (ps->nsub >= NSUBEXP) {
			ps->err = Egroups;
			return NULL;
		}
		c = ps->nsub++;
		n = parsealt(ps);
		if (ps->err)
			return NULL;
		if (*ps->p != ')') {
			ps->err = Emissingparen;
			return NULL;
		}
		ps->p++;
		return newnode(ps, NGroup, c, n, NULL);
	case '[':
		return parseclass(ps);
	case '.':
		return newnode(ps, NAny, 0, NULL, NULL);
	case '^':
		return newnode(ps, NBol, 0, NULL, NULL);
	case '$':
		return newnode(ps, NEol, 0, NULL, NULL);
	case '*':
	case '+':
	case '?':
		ps->err = Eoperand;
		return NULL;
	case '\\':
		c = escape(ps);
		if (ps->err)
			return NULL;
		return newnode(ps, NLit, c, NULL, NULL);
	default:
		return newnode(ps, NLit, c, NULL, NULL);
	}
}

/*
 * An atom and any repetitions of it.  A repetition of a repetition is
 * folded into one (a** is a*, a+? is a*), which matches the same text and
 * keeps the tree shallow however many operators follow.
 */
static Node *
parserepeat(Parse *ps)
{
	Node *n = parseatom(ps);

	while (n && !ps->err) {
		int t;

		switch (*ps->p) {
		case '*': t = NStar; break;
		case '+': t = NPlus; break;
		case '?': t = NQuest; break;
		default: return n;
		}
		ps->p++;
		if (n->type == NStar || n->type == NPlus || n->type == NQuest) {
			if (n->type != t)
				n->type = NStar;
		} else
			n = newnode(ps, t, 0, n, NULL);
	}
	return n;
}

/*
 * Append m to the list n of type (NCat or NAlt), kept right-deep,
 * x(y(z)), with *tail its last join, so that instcount and emit can walk
 * the list in a loop instead of recursing once per element.
 */
static Node *
append(Parse *ps, int type, Node *n, Node **tail, Node *m)
{
	if (n == NULL)
		return m;
	if (*tail == NULL)
		return *tail = newnode(ps, type, 0, n, m);
	(*tail)->r = newnode(ps, type, 0, (*tail)->r, m);
	*tail = (*tail)->r;
	return n;
}

/* A concatenation, possibly empty; it ends at '|', ')' or the end. */
static Node *
parsecat(Parse *ps)
{
	Node *n = NULL, *tail = NULL, *m;

	while (*ps->p && *ps->p != '|' && *ps->p != ')') {
		m = parserepeat(ps);
		if (ps->err)
			return NULL;
		n = append(ps, NCat, n, &tail, m);
		if (ps->err)
			return NULL;
	}
	return n ? n : newnode(ps, NEmpty, 0, NULL, NULL);
}

static Node *
parsealt(Parse *ps)
{
	Node *n = parsecat(ps), *tail = NULL, *m;

	while (!ps->err && *ps->p == '|') {
		ps->p++;
		m = parsecat(ps);
		if (ps->err)
			return NULL;
		n = append(ps, NAlt, n, &tail, m);
	}
	return ps->err ? NULL : n;
}

/*
 * Instructions n compiles to; see emit.  Like emit it recurses only into
 * left children (a list element, the body of a repetition or group), so
 * its depth is bounded by the nesting of groups.
 */
static int
instcount(const Node *n)
{
	int count = 0;

	for (;;)
		switch (n->type) {
		case NEmpty: return count;
		case NCat: count += instcount(n->l); n = n->r; break;
		case NAlt: count += 2 + instcount(n->l); n = n->r; break;
		case NStar: return count + 2 + instcount(n->l);
		case NPlus:
		case NQuest: return count + 1 + instcount(n->l);
		case NGroup: return count + 2 + instcount(n->l);
		default: return count + 1;
		}
}

static Inst *
inst(Inst *ip, int op, int arg, int x, int y)
{
	ip->op = op;
	ip->arg = arg;
	ip->x = x;
	ip->y = y;
	return ip;
}

/* Emit n's code at prog[pc] and return the pc after it. */
static int
emit(Inst *prog, int pc, const Node *n)
{
	int split, jmp;

again:
	switch (n->type) {
	case NLit: inst(&prog[pc], IChar, n->arg, 0, 0); return pc + 1;
	case NAny: inst(&prog[pc], IAny, 0, 0, 0); return pc + 1;
	case NClass: inst(&prog[pc], IClass, n->arg, 0, 0); return pc + 1;
	case NBol: inst(&prog[pc], IBol, 0, 0, 0); return pc + 1;
	case NEol: inst(&prog[pc], IEol, 0, 0, 0); return pc + 1;
	case NEmpty: return pc;
	case NCat:
		pc = emit(prog, pc, n->l);
		n = n->r;
		goto again;
	case NAlt:
		/*
		 * split L1, L2; L1: l; jmp L3; L2: r; L3: -- along the whole
		 * list in a loop.  Until L3 is known the jmps are chained
		 * through their x, ending in -1.
		 */
		jmp = -1;
		for (; n->type == NAlt; n = n->r) {
			split = pc;
			pc = emit(prog, split + 1, n->l);
			inst(&prog[split], ISplit, 0, split + 1, pc + 1);
			inst(&prog[pc], IJmp, 0, jmp, 0);
			jmp = pc++;
		}
		pc = emit(prog, pc, n);
		while (jmp >= 0) {
			split = prog[jmp].x;
			prog[jmp].x = pc;
			jmp = split;
		}
		return pc;
	case NStar:
		/* L1: split L2, L3; L2: l; jmp L1; L3: */
		split = pc;
		jmp = emit(prog, split + 1, n->l);
		inst(&prog[jmp], IJmp, 0, split, 0);
		inst(&prog[split], ISplit, 0, split + 1, jmp + 1);
		return jmp + 1;
	case NPlus:
		/* L1: l; split L1, L2; L2: */
		split = emit(prog, pc, n->l);
		inst(&prog[split], ISplit, 0, pc, split + 1);
		return split + 1;
	case NQuest:
		/* split L1, L2; L1: l; L2: */
		split = pc;
		pc = emit(prog, split + 1, n->l);
		inst(&prog[split], ISplit, 0, split + 1, pc);
		return pc;
	case NGroup:
		inst(&prog[pc], ISave, 2 * n->arg, 0, 0);
		pc = emit(prog, pc + 1, n->l);
		inst(&prog[pc], ISave, 2 * n->arg + 1, 0, 0);
		return pc + 1;
	}
	return pc;
}

/*
 * The whole pattern compiles to: save 0; <re>; save 1; match.  The
 * Reprog, its instructions and its classes are one malloc block.
 */
Reprog *
regcompe(const char *re, const char **err)
{
	Parse ps = {0};
	Reprog *prog = NULL;
	Node *tree;
	size_t len = strlen(re), size;
	int n;

	if (len > REMAXLEN) {
		ps.err = Elong;
		goto bad;
	}
	/* Each pattern byte makes at most three nodes (itself, a join, an
	 * empty alternative); each class takes at least two bytes. */
	ps.maxnode = 3 * (int)len + 2;
	ps.maxcls = (int)len / 2 + 1;
	ps.node = malloc(ps.maxnode * sizeof(Node) + ps.maxcls * sizeof(Class));
	if (ps.node == NULL) {
		ps.err = Enomem;
		goto bad;
	}
	ps.cls = (Class *)(ps.node + ps.maxnode);
	ps.p = re;
	ps.nsub = 1;
	tree = parsealt(&ps);
	if (!ps.err && *ps.p == ')')
		ps.err = Eunmatchedparen;
	if (ps.err)
		goto bad;

	n = instcount(tree) + 3;
	size = sizeof(Reprog) + n * sizeof(Inst) + ps.ncls * sizeof(Class);
	prog = malloc(size);
	if (prog == NULL) {
		ps.err = Enomem;
		goto bad;
	}
	prog->ninst = n;
	prog->nsub = ps.nsub;
	prog->inst = (Inst *)(prog + 1);
	prog->cls = (Class *)(prog->inst + n);
	memcpy(prog->cls, ps.cls, ps.ncls * sizeof(Class));
	inst(&prog->inst[0], ISave, 0, 0, 0);
	n = emit(prog->inst, 1, tree);
	inst(&prog->inst[n], ISave, 1, 0, 0);
	inst(&prog->inst[n + 1], IMatch, 0, 0, 0);
	free(ps.node);
	return prog;

bad:
	free(ps.node);
	if (err)
		*err = ps.err;
	return NULL;
}

Reprog *
regcomp(const char *re)
{
	return regcompe(re, NULL);
}

void
regfree(Reprog *p)
{
	free(p);
}

/*
 * The state of one regexec.  A thread list holds, in priority order, the
 * pc of each thread waiting on a character and its ncap capture slots.
 */
typedef struct Threads {
	int n;
	int *pc;
	const char **cap; /* ncap per thread */
} Threads;

/* A pending step of addthread: go to pc, or (restore) put a slot back. */
typedef struct Pending {
	int pc;     /* -1: restore */
	int slot;
	const char *old;
} Pending;

typedef struct Vm {
	const Reprog *prog;
	const char *text;
	int ncap;
	unsigned gen;      /* marks the current list's additions */
	unsigned *mark;    /* per instruction: gen when last added */
	Pending *stack;    /* ninst entries */
	const char **tmp;  /* ncap scratch slots */
} Vm;

/*
 * Add the thread at pc with captures cap, at text position sp, and every
 * thread it reaches without consuming a character, to l in priority
 * order.  An explicit stack in place of recursion: each instruction is
 * visited once per list, so it pushes at most one entry and the stack
 * needs ninst.  cap is changed while working and restored on return.
 */
static void
addthread(Vm *vm, Threads *l, int pc0, const char **cap, const char *sp)
{
	const Inst *prog = vm->prog->inst;
	int top = 0;

	vm->stack[top++] = (Pending){pc0, 0, NULL};
	while (top > 0) {
		Pending e = vm->stack[--top];
		int pc = e.pc;

		if (pc < 0) {
			cap[e.slot] = e.old;
			continue;
		}
		for (;;) {
			const Inst *ip = &prog[pc];

			if (vm->mark[pc] == vm->gen)
				break;
			vm->mark[pc] = vm->gen;
			if (ip->op == IJmp) {
				pc = ip->x;
			} else if (ip->op == ISplit) {
				vm->stack[top++] = (Pending){ip->y, 0, NULL};
				pc = ip->x;
			} else if (ip->op == ISave) {
				if (ip->arg < vm->ncap) {
					vm->stack[top++] = (Pending){-1, ip->arg, cap[ip->arg]};
					cap[ip->arg] = sp;
				}
				pc++;
			} else if (ip->op == IBol) {
				if (sp != vm->text)
					break;
				pc++;
			} else if (ip->op == IEol) {
				if (*sp != 0)
					break;
				pc++;
			} else {
				l->pc[l->n] = pc;
				memcpy(l->cap + l->n * vm->ncap, cap, vm->ncap * sizeof *cap);
				l->n++;
				break;
			}
		}
	}
}

/* Does the instruction at pc, waiting on a character, accept c? */
static bool
accepts(const Reprog *prog, const Inst *ip, int c)
{
	switch (ip->op) {
	case IChar: return c == ip->arg;
	case IAny: return c != 0;
	case IClass: return (prog->cls[ip->arg][c / 8] >> (c % 8)) & 1;
	default: return false;
	}
}

/*
 * Run the threads of clist over one character at sp, into nlist.
 * Returns true if a thread matched: its captures are in best, and the
 * threads after it (of lower priority) are dropped.
 */
static bool
step(Vm *vm, Threads *clist, Threads *nlist, const char *sp, const char **best)
{
	const Inst *prog = vm->prog->inst;
	int c = (unsigned char)*sp;

	for (int i = 0; i < clist->n; i++) {
		const Inst *ip = &prog[clist->pc[i]];
		const char **cap = clist->cap + i * vm->ncap;

		if (ip->op == IMatch) {
			memcpy(best, cap, vm->ncap * sizeof *cap);
			return true;
		}
		if (accepts(vm->prog, ip, c)) {
			memcpy(vm->tmp, cap, vm->ncap * sizeof *cap);
			addthread(vm, nlist, clist->pc[i] + 1, vm->tmp, sp + 1);
		}
	}
	return false;
}

/*
 * Leftmost-first search.  A new lowest-priority thread starts at each
 * position until some thread has matched; after that only the threads
 * that outrank the match run on, and one of them may still replace it.
 * All scratch memory is one malloc block, freed at the end.
 */
int
regexec(const Reprog *p, const char *s, Resub *match, int nmatch)
{
	int ninst = p->ninst, nsub = nmatch < p->nsub ? nmatch : p->nsub;
	int ncap = nsub > 0 ? 2 * nsub : 0;
	size_t ptrs = (size_t)ninst * ncap * 2 + ncap * 2; /* two lists, tmp, best */
	Threads list[2], *clist = &list[0], *nlist = &list[1], *t;
	const char **best;
	bool matched = false;
	Vm vm;
	char *mem;

	mem = malloc(ptrs * sizeof(char *) + ninst * (2 * sizeof(int) + sizeof(unsigned) +
		sizeof(Pending)));
	if (mem == NULL)
		return -1;
	list[0].cap = (const char **)mem;
	list[1].cap = list[0].cap + (size_t)ninst * ncap;
	vm.tmp = list[1].cap + (size_t)ninst * ncap;
	best = vm.tmp + ncap;
	vm.stack = (Pending *)(best + ncap);
	list[0].pc = (int *)(vm.stack + ninst);
	list[1].pc = list[0].pc + ninst;
	vm.mark = (unsigned *)(list[1].pc + ninst);
	memset(vm.mark, 0, ninst * sizeof(unsigned));
	vm.prog = p;
	vm.text = s;
	vm.ncap = ncap;
	vm.gen = 1;

	clist->n = 0;
	for (const char *sp = s;; sp++) {
		if (!matched) {
			for (int i = 0; i < ncap; i++)
				vm.tmp[i] = NULL;
			addthread(&vm, clist, 0, vm.tmp, sp);
		} else if (clist->n == 0)
			break;
		vm.gen++;
		nlist->n = 0;
		if (step(&vm, clist, nlist, sp, best))
			matched = true;
		t = clist, clist = nlist, nlist = t;
		if (*sp == 0)
			break;
	}

	if (matched)
		for (int i = 0; i < nmatch; i++) {
			match[i].sp = i < nsub ? best[2 * i] : NULL;
			match[i].ep = i < nsub ? best[2 * i + 1] : NULL;
		}
	free(mem);
	return matched;
}
