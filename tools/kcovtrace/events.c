// SPDX-License-Identifier: GPL-2.0-only
#include <string.h>

#include "events.h"
#include "kcovtrace.h"
#include "messages.h"
#include "symbols.h"

/*
 * The functions a task's records end in when it exits: do_exit(), called by
 * do_group_exit() for exit_group(), by get_signal() (from
 * arch_do_signal_or_restart()) for a fatal signal.  The exit_group() and
 * exit() syscalls themselves never return, so no hook marks them.
 */
static bool exit_path(uint64_t pc)
{
	static const char *const names[] = {
		"do_exit", "do_group_exit", "get_signal", "arch_do_signal_or_restart",
	};
	KCT_OPTS(kct_symbol, s);

	if (!pc || kct_symbolize(symstate.sym, pc, &s))
		return false;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (s.name_len == strlen(names[i]) && !memcmp(s.name, names[i], s.name_len))
			return true;
	return false;
}

/*
 * The frames the decoder completes at the end of the stream, the last run
 * of KCT_EVENT_F_UNFINISHED exits, are its task's way out if the outermost
 * of them is of exit_path(): then r->unbalanced->exit_path counts them.  A
 * run that any other event follows was a saturated EESUM record's.
 */
static void find_exit_path(struct event_reader *r)
{
	int i = r->nr;

	/* The batch's last run of such exits, from its end back: any other
	 * event before it ends the runs before (nearly every batch ends
	 * with another event, and this loop then with none). */
	while (i > 0 && r->batch[i - 1].type == KCT_EVENT_EXIT &&
	       (r->batch[i - 1].flags & KCT_EVENT_F_UNFINISHED))
		i--;
	if (i > 0) {
		r->unfinished = 0;
		r->unbalanced->exit_path = 0;
	}
	for (; i < r->nr; i++) {
		const struct kct_event *ev = &r->batch[i];

		r->unfinished++;
		if (!ev->depth && exit_path(ev->entry_pc))
			r->unbalanced->exit_path = r->unfinished;
	}
}

bool event_reader_fill(struct event_reader *r)
{
	KCT_OPTS(kct_decoder_stats, st);

	r->nr = kct_decoder_next_batch(r->dec, r->batch, sizeof(r->batch[0]), 256);
	r->at = 0;
	if (r->nr <= 0) {
		if (r->nr < 0)
			die("decoding: %s", kct_strerror(r->nr));
		r->nr = 0;
		return false;
	}
	if (symstate.sym) {
		if (!symstate.skip_exits)
			check_exits(r->batch, r->nr);
		find_exit_path(r);
	}
	/* The decoder counts such a record before its event comes: look for
	 * the event only while some are still to come. */
	kct_decoder_get_stats(r->dec, &st);
	for (int i = 0; i < r->nr && st.saturated != r->saturated; i++) {
		const struct kct_event *ev = &r->batch[i];
		struct unbalanced *u = r->unbalanced;

		if (ev->type != KCT_EVENT_EESUM || !(ev->flags & KCT_EVENT_F_SATURATED))
			continue;
		r->saturated++;
		if (!u->count++) {
			u->index = ev->index;
			u->stream = r->stream;
			u->malformed = eesum_malformed(ev);
		}
	}
	return true;
}

void warn_unbalanced(const char *path, const struct unbalanced *u)
{
	const char *what = u->malformed ? "malformed" : "saturated";

	if (u->count == 1)
		warn("%s: stream %u cannot be balanced across a %s EESUM record at index %llu; "
		     "the call tree restarts after it", path, u->stream, what,
		     (unsigned long long)u->index);
	else if (u->count)
		warn("%s: stream %u cannot be balanced across a %s EESUM record at index %llu, "
		     "nor across %llu more such records; the call tree restarts after each",
		     path, u->stream, what, (unsigned long long)u->index,
		     (unsigned long long)(u->count - 1));
}
