/* SPDX-License-Identifier: MIT */
/*
 * Time as text, for date and ls -l.  Musubi keeps no time zones: every
 * time is GMT, so ctime is asctime(gmtime(t)).  The clock itself (time,
 * nsec) is a system call.
 */
#include "libc.h"

static const char dayname[] = "SunMonTueWedThuFriSat";
static const char monname[] = "JanFebMarAprMayJunJulAugSepOctNovDec";

/* Days before each month in a common year. */
static const int monstart[12] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};

static int
isleap(long y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Floor division: times before 1970 count back correctly. */
static long
floordiv(long a, long b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

/*
 * Break t (seconds since 1970-01-01 00:00 GMT) into its calendar
 * fields.  Returns a static Tm, overwritten by the next call.
 */
Tm *
gmtime(long t)
{
	static Tm tm;
	long days, secs, y, ylen;
	int m;

	days = floordiv(t, 86400);
	secs = t - days * 86400;
	tm.hour = secs / 3600;
	tm.min = secs / 60 % 60;
	tm.sec = secs % 60;
	tm.wday = days + 4 - 7 * floordiv(days + 4, 7); /* 1970-01-01 was a Thursday */

	/* Whole 400-year cycles (146097 days) first, then single years. */
	y = 1970 + 400 * floordiv(days, 146097);
	days -= 146097 * floordiv(days, 146097);
	for (;;) {
		ylen = isleap(y) ? 366 : 365;
		if (days < ylen)
			break;
		days -= ylen;
		y++;
	}
	tm.year = y - 1900;
	tm.yday = days;
	for (m = 11; m > 0; m--)
		if (days >= monstart[m] + (m >= 2 && isleap(y)))
			break;
	tm.mon = m;
	tm.mday = days - monstart[m] - (m >= 2 && isleap(y)) + 1;
	strcpy(tm.zone, "GMT");
	return &tm;
}

/* "Sat Nov 21 12:00:00 GMT 2026\n", as Plan 9's date prints; static. */
char *
asctime(const Tm *tm)
{
	static char buf[64];
	int wd = tm->wday, mo = tm->mon;

	if (wd < 0 || wd > 6)
		wd = 0;
	if (mo < 0 || mo > 11)
		mo = 0;
	snprint(buf, sizeof buf, "%.3s %.3s %.2d %.2d:%.2d:%.2d %s %d\n", dayname + 3 * wd,
	        monname + 3 * mo, tm->mday, tm->hour, tm->min, tm->sec, tm->zone,
	        tm->year + 1900);
	return buf;
}

char *
ctime(long t)
{
	return asctime(gmtime(t));
}
