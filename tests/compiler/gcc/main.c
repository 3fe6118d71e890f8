// SPDX-License-Identifier: GPL-2.0-only
/*
 * Runs placement.c's functions, for the call tree main.tree: each call
 * from main() below is one frame (excluded(), noinstr_like() and naked_fn()
 * have none, so give(), called from excluded(), is a frame right under
 * main()).
 */
#include <stdlib.h>

volatile int sink;

int several_returns(int x);
int switch_returns(int x);
void ends_in_call(int x);
int returns_call(int x);
int starts_with_loop(int n);
void waits_for(int n);
int unlikely_return(int x);
void noreturn_paths(int x);
int excluded(int x);
int noinstr_like(int x);
void naked_fn(void);
int not_for_finstrument(int x);

void take(int x)
{
	sink = x;
}

int give(int x)
{
	return x + 1;
}

void fatal(int why)
{
	exit(why);
}

void report(int x)
{
	sink = x;
}

int main(void)
{
	several_returns(-1);
	several_returns(5);
	several_returns(11);
	switch_returns(1);
	switch_returns(2);
	ends_in_call(1);
	returns_call(2);
	/* 7 takes 16 turns of the loop, and one entry. */
	starts_with_loop(7);
	sink = 0;
	waits_for(5);
	unlikely_return(-1);
	unlikely_return(1);
	noreturn_paths(5);
	excluded(-1);
	noinstr_like(1);
	naked_fn();
	not_for_finstrument(-1);
	return 0;
}
