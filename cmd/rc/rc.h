/* SPDX-License-Identifier: MIT */
/*
 * rc, the shell: the syntax tree and the front end.  lex.c turns source
 * text into tokens (and reads here documents), parse.c builds a Tree by
 * recursive descent, tree.c allocates, frees and prints trees.  Nothing
 * here runs a command yet: see doc/rc.md.
 */
#ifndef RC_H
#define RC_H

#include "libc.h"

/*
 * One node type for the whole tree.  The meaning of kid[], fd[] and str
 * depends on kind; "list" below means kid[i] is the first of a chain of
 * siblings linked through next.  Printed forms are those of rc_fmttree.
 */
enum {
	TWord,     /* str: a bare word                                  a        */
	TQuoted,   /* str: a quoted word, quotes removed                'a b'    */
	TList,     /* kid[0] list: ( words )                            (list a b) */
	TVar,      /* kid[0] name word: $name                           ($ x)    */
	TCount,    /* kid[0] name word: $#name                          ($# x)   */
	TFlat,     /* kid[0] name word: $"name                          ($" x)   */
	TSub,      /* kid[0] name, kid[1] TList: $name(subscripts)      ($sub x (list 1)) */
	TBackq,    /* kid[0] body (may be NULL): `{cmd}                 (` body) */
	TConcat,   /* kid[0] ^ kid[1], explicit or free caret           (^ a b)  */
	TSimple,   /* kid[0] list of words, kid[1] list of TRedir       (cmd a (> 1 f)) */
	TRedir,    /* see op, fd[]; kid[0] target; kid[1] here body     (> 1 f)  */
	TPipe,     /* kid[0] |[fd0=fd1] kid[1]                          (|[1=0] a b) */
	TSeq,      /* kid[0] ; kid[1], kid[1] may be another TSeq       (; a b)  */
	TAsync,    /* kid[0] &                                          (& a)    */
	TAnd,      /* kid[0] && kid[1]                                  (&& a b) */
	TOr,       /* kid[0] || kid[1]                                  (|| a b) */
	TNot,      /* ! kid[0]                                          (! a)    */
	TSubshell, /* @ kid[0]                                          (@ a)    */
	TBrace,    /* { kid[0] } and kid[1] list of TRedir              ({} a)   */
	TIf,       /* if(kid[0]) kid[1]                                 (if c a) */
	TIfNot,    /* if not kid[0]                                     (if-not a) */
	TFor,      /* for(kid[0] in kid[1] TList) kid[2]; kid[1] NULL for for(x) */
	TWhile,    /* while(kid[0]) kid[1]                              (while c a) */
	TSwitch,   /* switch kid[0] { kid[1] }                          (switch w body) */
	TCase,     /* kid[0] list of patterns: case p...                (case a b) */
	TMatch,    /* kid[0] list: ~ subject pattern...                 (~ s p)  */
	TFn,       /* kid[0] list of names, kid[1] TBrace               (fn f ({} a)) */
	TFnDelete, /* kid[0] list of names: fn name                     (fn-delete f) */
	TAssign,   /* kid[0] name = kid[1] value, then kid[2] or NULL   (= a b cmd) */
	TNkind
};

/* TRedir operations; fd[0] is the descriptor redirected. */
enum {
	RIn,     /* <  file            fd[0] default 0 */
	ROut,    /* >  file            fd[0] default 1 */
	RAppend, /* >> file            fd[0] default 1 */
	RRdwr,   /* <> file            fd[0] default 0 */
	RDup,    /* >[fd0=fd1]         fd[0] becomes a copy of fd[1]; no target */
	RClose,  /* >[fd0=]            fd[0] is closed; no target */
	RHere,   /* << tag, kid[0] the tag word (a TQuoted tag means no $
	          * substitution in the body), kid[1] the body: a TQuoted */
};

typedef struct Tree Tree;
struct Tree {
	int kind;     /* TWord... */
	int op;       /* TRedir: RIn... */
	int fd[2];    /* TRedir, TPipe */
	int line;     /* source line the node starts on, from 1 */
	char *str;    /* TWord, TQuoted: NUL-terminated text, part of the node */
	Tree *kid[3]; /* children, by kind */
	Tree *next;   /* next sibling in a list */
	Tree *chain;  /* the parser's list of everything it allocated; no
	               * meaning once rc_parse has returned */
};

/*
 * Parse src[0..len-1], a whole script.  Returns the tree (NULL for a
 * script with no commands) and sets *err to NULL; the caller owns the
 * tree and frees it with rc_freetree.  On bad input returns NULL with
 * *err a message such as "syntax error near `)` at line 3", in a static
 * buffer valid until the next call: not reentrant.
 */
Tree *rc_parse(const char *src, size_t len, const char **err);

/*
 * Parse the commands of one line of src[0..len-1]: up to the first
 * newline outside brackets (and past the bodies of here documents it
 * asked for), or to the end.  Sets *used to the bytes consumed and *res:
 * ParseOk (a newline ended it), ParseEof (the end of src ended it: if
 * more input may come, read it and parse again), ParseMore (an error at
 * the end of src: the command is incomplete), ParseError (*err says
 * why).  Returns the tree, NULL for an empty line or on error.  *err is
 * a static buffer: not reentrant.
 */
enum { ParseOk, ParseEof, ParseMore, ParseError };
Tree *rc_parseline(const char *src, size_t len, size_t *used, int *res, const char **err);

/* Free t and everything below it; t may be NULL.  Not recursive. */
void rc_freetree(Tree *t);

/*
 * Print t in the canonical, fully parenthesized form shown above (for
 * tests and debugging); NULL prints as "()".  Returns the bytes given
 * to f.  Recursion is as deep as the tree's nesting.
 */
int rc_fmttree(Fmt *f, const Tree *t);

/* tree.c: for the parser. */
Tree *tree_new(Tree **chain, int kind, int line, const char *str, size_t len);
Tree *tree_new2(Tree **chain, int kind, int line, Tree *a, Tree *b);

/*
 * lex.c: the tokens.  Lexer is the state of one scan; the parser reads
 * it only through lex_next and the fields of Token.
 */
enum {
	KEof,
	KError,   /* Lexer.err says why */
	KNewline,
	KWord,    /* bare word; str, len */
	KQuoted,  /* 'quoted word'; str, len with quotes removed */
	KDollar,  /* $  */
	KCount,   /* $# */
	KFlat,    /* $" */
	KBackq,   /* `  */
	KCaret,   /* ^  */
	KEquals,  /* =  */
	KLparen,
	KRparen,
	KLbrace,
	KRbrace,
	KSemi,
	KAmp,
	KAndand,
	KOror,
	KPipe,    /* fd[0], fd[1] */
	KRedir,   /* op, fd[0], fd[1] */
};

typedef struct Token Token;
struct Token {
	int kind;
	int op, fd[2];
	int line;
	bool sp;       /* white space came before it */
	const char *str; /* KWord, KQuoted: NUL-terminated, the lexer's */
	size_t len;
};

typedef struct Lexer Lexer;
struct Lexer {
	const char *src, *p, *end;
	int line;
	Tree **chain;     /* where here-document bodies are allocated */
	Tree *here[16];   /* TRedir nodes waiting for their bodies */
	int nhere;
	char *buf;        /* the current word */
	size_t nbuf, cap;
	char err[96];
};

enum { LexNormal, LexName }; /* LexName: right after $, $#, $" */

void lex_init(Lexer *lx, const char *src, size_t len, Tree **chain);
/* Scan the next token into *t; t->str stays valid until the next call. */
void lex_next(Lexer *lx, Token *t, int mode);
/* Ask for r's body (r->kid[0] is the tag) after the current line; 0 or -1. */
int lex_here(Lexer *lx, Tree *r);
void lex_free(Lexer *lx);

/*
 * tree.c: print t back as rc source that parses to the same tree (for
 * whatis, fn definitions in /env and -x).
 */
int rc_fmtsrc(Fmt *f, const Tree *t);
char *rc_srcstr(const Tree *t); /* malloc'd */

/*
 * ---------------------------------------------------------------
 * The interpreter.  main.c: start-up, flags, reading input; exec.c:
 * running trees (commands, pipelines, redirections, processes);
 * word.c: words to lists, globbing and patterns; var.c: variables,
 * functions and /env; builtin.c: the builtins.
 * ---------------------------------------------------------------
 */

/* A list value: a chain of malloc'd words. */
typedef struct Word Word;
struct Word {
	Word *next;
	char *s;
};

/* A variable or function; a local shadows the outer one of its name. */
typedef struct Var Var;
struct Var {
	Var *next;    /* in its hash chain: innermost first */
	char *name;
	Word *val;
	Tree *fn;     /* function body (a TBrace), parsed from fnsrc */
	char *fnsrc;  /* "{...}" */
	int busy;     /* calls of fn running: it may not be freed */
	bool local;
	bool dirty;   /* to be written to /env */
	bool fndirty;
};

/* Unquoted *, ? and [ in words are marked with this byte before them. */
enum { GLOB = 0x01 };

/* Flags: set by the command line and by the flag builtin. */
extern bool flags[128];
extern bool interactive;
extern volatile int interrupted;
extern bool errflag;        /* an error is unwinding to the top level */
extern int rcpid;

/* word.c */
Word *word_new(const char *s, Word *next);
Word *word_newn(const char *s, size_t n, Word *next);
void word_free(Word *w);
Word *word_copy(const Word *w);
int word_count(const Word *w);
char *word_flat(const Word *w, const char *sep); /* malloc'd */
Word *eval_words(Tree *list, bool glob);  /* NULL with errflag on error */
Word *eval_word(Tree *w);
Word *rc_glob(Word *w);                 /* consumes w */
char *unglob(char *s);                  /* strip GLOB marks in place */
bool rc_match(const char *s, const char *pat);
Word *backquote(Tree *body);
char *heresubst(const char *s); /* $name in a here document; malloc'd */

/* var.c */
Var *var_look(const char *name);
Var *var_get(const char *name);                /* creating a global */
Var *fn_look(const char *name);
Word *var_val(const char *name);
void var_set(const char *name, Word *val);      /* consumes val */
void var_setstr(const char *name, const char *s);
void var_push(const char *name, Word *val);     /* a local */
void var_pop(const char *name);
void fn_define(const char *name, Tree *body);
void fn_delete(const char *name);
void var_import(void);
void var_export(void);
int var_valid(const char *name);

/* exec.c */
void run(Tree *t);
void runlist(Word *argv, bool nobuiltin);
const char *syserr(void);            /* the error string; static */
void setstatus(const char *s);
const char *getstatus(void);         /* $status, flattened; static */
bool truestatus(void);
void rc_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int rc_fork(int flags);
char *waitfor(int pid);
char *waitbg(int pid);       /* wait PID */
void execext(Word *argv) __attribute__((noreturn));
void exitrc(const char *s) __attribute__((noreturn));
int pushredirs(Tree *redirs, bool save); /* the count pushed, -1 on error */
void popredirs(int n);
void runchild(Tree *t) __attribute__((noreturn));
char *pathsearch(const char *cmd);       /* malloc'd, or NULL */
extern int bgpids[];
extern int nbgpids;
extern bool ifnot;
extern int incond;

/* builtin.c; exec is done in exec.c */
typedef void Builtin(Word *argv);
Builtin *builtin_look(const char *name);
char *quoteword(const char *s); /* malloc'd */

/* main.c */
int rc_runfd(int fd, const char *name, bool inter);
int rc_runstr(const char *s);

#endif
