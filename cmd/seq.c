/* SPDX-License-Identifier: MIT */
/*
 * seq: print the numbers from first (default 1) by incr (default 1) to
 * last.  Integers only: Musubi's programs have no floating point.  -w
 * pads with zeros to equal width; -f gives a print format with one
 * conversion, an integer one (d i u x X o), or g e f, which print the
 * integer as %d does.  See doc/cmd/seq.md.
 */
#include "libc.h"

static void usage(void)
{
	fprint(2, "usage: seq [-w] [-f format] [first [incr]] last\n");
	exits("usage");
}

static vlong number(const char *s)
{
	char *end;
	vlong v = strtoll(s, &end, 10);

	if (*s == 0 || *end != 0) {
		fprint(2, "seq: not an integer: %s\n", s);
		exits("usage");
	}
	return v;
}

/*
 * Check the user's format and turn it into one for a vlong: its single
 * conversion gets the ll length, and g e f become d (dropping a
 * precision, which means digits after the point there).  NULL if the
 * format is not acceptable.
 */
static char *fixformat(const char *f)
{
	char *out, *p;
	int nconv = 0;

	if ((out = malloc(2 * strlen(f) + 4)) == NULL)
		return NULL;
	for (p = out; *f; f++) {
		*p++ = *f;
		if (*f != '%')
			continue;
		if (f[1] == '%') {
			*p++ = *++f;
			continue;
		}
		if (nconv++ > 0)
			goto bad;
		for (f++; *f && strchr("-+ #0", *f); f++)
			*p++ = *f;
		for (; isdigit(*f); f++)
			*p++ = *f;
		if (*f == '.') {
			char *dot = p;

			*p++ = *f++;
			for (; isdigit(*f); f++)
				*p++ = *f;
			if (*f && strchr("gef", *f))
				p = dot;  /* %.2f of an integer: no point here */
		}
		if (*f == 0 || strchr("diuxXogef", *f) == NULL)
			goto bad;
		*p++ = 'l';
		*p++ = 'l';
		*p++ = strchr("gef", *f) ? 'd' : *f;
	}
	*p = 0;
	if (nconv != 1)
		goto bad;
	return out;
bad:
	free(out);
	return NULL;
}

static int digits(vlong v)
{
	int n = v < 0 ? 2 : 1;

	for (; v >= 10 || v <= -10; v /= 10)
		n++;
	return n;
}

int main(int argc, char **argv)
{
	vlong first = 1, incr = 1, last, v;
	const char *userfmt = NULL;
	char *f, buf[64];
	int wflag = 0, w;
	Biobuf out;

	ARGBEGIN {
	case 'w':
		wflag = 1;
		break;
	case 'f':
		userfmt = EARGF(usage());
		break;
	default:
		/* A negative number is an operand, not a flag. */
		if (isdigit(ARGC()))
			goto operands;
		usage();
	} ARGEND
operands:
	if (argc < 1 || argc > 3)
		usage();
	last = number(argv[argc - 1]);
	if (argc > 1)
		first = number(argv[0]);
	if (argc > 2)
		incr = number(argv[1]);
	if (incr == 0) {
		fprint(2, "seq: zero increment\n");
		exits("zero increment");
	}
	if (userfmt != NULL) {
		if ((f = fixformat(userfmt)) == NULL) {
			fprint(2, "seq: bad format: %s\n", userfmt);
			exits("usage");
		}
	} else if (wflag) {
		w = digits(first) > digits(last) ? digits(first) : digits(last);
		snprint(buf, sizeof buf, "%%0%dlld", w);
		f = buf;
	} else
		f = "%lld";
	Binit(&out, 1, OWRITE);
	for (v = first; incr > 0 ? v <= last : v >= last; v += incr) {
		Bprint(&out, f, v);
		Bputc(&out, '\n');
		/* Stop before the step would overflow. */
		if ((incr > 0 && v > INT64_MAX - incr) || (incr < 0 && v < INT64_MIN - incr))
			break;
	}
	Bterm(&out);
	exits(NULL);
}
