// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * kcov_entry_exit_gcc: -fsanitize-coverage=trace-pc-entry-exit for GCC 12.
 *
 * A GIMPLE pass that runs right after GCC's own sancov pass (and sancov_O0)
 * and gives its output the semantics of LLVM 23's trace-pc-entry-exit:
 *
 *  - the entry block's __sanitizer_cov_trace_pc() becomes
 *    __sanitizer_cov_trace_pc_entry();
 *  - every return (and __builtin_return(), and a non-local goto out of a
 *    nested function) first calls __sanitizer_cov_trace_pc_exit(), followed
 *    by an empty volatile asm: GCC's tailc pass, which runs later, would
 *    otherwise turn "exit hook; return;" into a sibling call, whose return
 *    address (the PC kcov records) lies in the caller; and no call stays
 *    marked as a tail call, which would jump past the hook;
 *  - without "trace-pc" in the feature list, every other block's
 *    __sanitizer_cov_trace_pc() is removed again, so that entry-exit alone
 *    gives only the two hooks, as with clang.
 *
 * Functions that sancov did not instrument (no_sanitize_coverage, which the
 * kernel's noinstr implies) get no hook at all: the pass has the same gate.
 * Naked functions, which GCC's sancov does instrument, lose its hooks, and
 * so do functions whose first block ends in a noreturn call and functions
 * named __sanitizer_*, which LLVM's SanitizerCoverage leaves alone (the
 * former's entry would have no exit, the latter are the runtime's).
 * sancov runs after inlining and IPA-split, so the hooks mark the machine
 * frames that exist: a function inlined everywhere has no frame and no
 * records, and an IPA-split "foo.part.0" is a frame of its own.
 *
 * GCC plugins must be GPL-compatible C++: the plugin API is GCC's internals.
 *
 * Usage (kcov-cc does this for you):
 *   gcc -fsanitize-coverage=trace-pc -fplugin=kcov_entry_exit_gcc.so \
 *     -fplugin-arg-kcov_entry_exit_gcc-sanitize-coverage=trace-pc-entry-exit,trace-pc
 */
#include "gcc-plugin.h"
#include "plugin-version.h"
#include "config.h"
#include "system.h"
#include "coretypes.h"
#include "backend.h"
#include "tree.h"
#include "gimple.h"
#include "tree-pass.h"
#include "ssa.h"
#include "cgraph.h"
#include "gimple-iterator.h"
#include "tree-into-ssa.h"
#include "stringpool.h"
#include "attribs.h"
#include "asan.h"
#include "diagnostic-core.h"
#include "ggc.h"
#include "context.h"

int plugin_is_GPL_compatible;

#ifndef KCOV_PLUGIN_VERSION
#define KCOV_PLUGIN_VERSION "0"
#endif

static const char trace_pc_entry_name[] = "__sanitizer_cov_trace_pc_entry";
static const char trace_pc_exit_name[] = "__sanitizer_cov_trace_pc_exit";

static struct plugin_info kcov_plugin_info = {
	.version = KCOV_PLUGIN_VERSION,
	.help = "sanitize-coverage=LIST\tthe -fsanitize-coverage features in effect: "
		"trace-pc-entry-exit (required), trace-pc, trace-cmp\n",
};

/* trace-pc was asked for too: keep the other blocks' hooks. */
static bool keep_block_hooks;
/* trace-pc-entry-exit was asked for, in one of the arguments. */
static bool entry_exit;

/* The hooks' declarations, made once and kept alive across GCC's garbage
 * collections by the roots registered below. */
static tree entry_decl;
static tree exit_decl;

static const struct ggc_root_tab kcov_ggc_roots[] = {
	{ &entry_decl, 1, sizeof(entry_decl), &gt_ggc_mx_tree_node, &gt_pch_nx_tree_node },
	{ &exit_decl, 1, sizeof(exit_decl), &gt_ggc_mx_tree_node, &gt_pch_nx_tree_node },
	LAST_GGC_ROOT_TAB
};

/* void NAME(void), nothrow and leaf like GCC's own coverage builtins. */
static tree build_hook_decl(const char *name)
{
	tree type = build_function_type_list(void_type_node, NULL_TREE);
	tree decl = build_fn_decl(name, type);

	/* Not left to the front end: g++ would mangle the name. */
	SET_DECL_ASSEMBLER_NAME(decl, get_identifier(name));
	TREE_NOTHROW(decl) = 1;
	DECL_ATTRIBUTES(decl) = tree_cons(get_identifier("leaf"), NULL_TREE,
					  DECL_ATTRIBUTES(decl));
	return decl;
}

static bool is_trace_pc(gimple *stmt)
{
	return gimple_call_builtin_p(stmt, BUILT_IN_SANITIZER_COV_TRACE_PC);
}

/*
 * The entry hook.  sancov puts __sanitizer_cov_trace_pc() first in every
 * non-empty block; the first block's becomes the entry hook, unless that
 * block is also the target of a back edge (a function that begins with a
 * loop), where the call runs once per iteration: the entry hook then goes
 * on the edge from the function's entry, in a block of its own, and the
 * loop keeps its block hook.
 */
static void place_entry_hook(function *fun)
{
	edge e = single_succ_edge(ENTRY_BLOCK_PTR_FOR_FN(fun));
	basic_block first = e->dest;
	gimple_stmt_iterator gsi = gsi_start_nondebug_after_labels_bb(first);
	gcall *call;

	if (single_pred_p(first) && !gsi_end_p(gsi) && is_trace_pc(gsi_stmt(gsi))) {
		call = as_a<gcall *>(gsi_stmt(gsi));
		gimple_call_set_fndecl(call, entry_decl);
		update_stmt(call);
		return;
	}
	call = gimple_build_call(entry_decl, 0);
	gimple_set_location(call, DECL_SOURCE_LOCATION(fun->decl));
	gsi_insert_on_edge_immediate(e, call);
}

/* entry-exit alone: drop every block hook sancov inserted. */
static void remove_block_hooks(function *fun)
{
	basic_block bb;

	FOR_EACH_BB_FN(bb, fun) {
		gimple_stmt_iterator gsi = gsi_start_bb(bb);

		while (!gsi_end_p(gsi)) {
			gimple *stmt = gsi_stmt(gsi);

			if (is_trace_pc(stmt)) {
				unlink_stmt_vdef(stmt);
				gsi_remove(&gsi, true);
				release_defs(stmt);
			} else {
				gsi_next(&gsi);
			}
		}
	}
}

/* The exit hook and the volatile asm that keeps it in place, before gsi. */
static void insert_exit_hook(gimple_stmt_iterator *gsi)
{
	gcall *call = gimple_build_call(exit_decl, 0);
	gasm *barrier = gimple_build_asm_vec("", NULL, NULL, NULL, NULL);

	gimple_set_location(call, gimple_location(gsi_stmt(*gsi)));
	gimple_asm_set_volatile(barrier, true);
	gsi_insert_before(gsi, call, GSI_SAME_STMT);
	gsi_insert_before(gsi, barrier, GSI_SAME_STMT);
}

/*
 * An exit hook before every way out of the function:
 *  - every return.  The volatile asm stands between the hook and the
 *    return: tailc gives up on a block whose last statement before the
 *    return is not a call and has volatile operands, and RTL makes sibling
 *    calls only of calls tailc marked;
 *  - __builtin_return(), which jumps to the epilogue (GCC's
 *    __builtin_apply() forwarding), a call that ends its block;
 *  - __builtin_nonlocal_goto(), a goto out of a nested function to a label
 *    of the function it is nested in: this frame ends there (the frames
 *    between the two, if any, stay open, as with longjmp()).
 * Calls that tailc or IPA-ICF already marked as tail calls (an ICF wrapper
 * "return foo (args);" is made one before sancov runs) are unmarked, as
 * GCC's tsan pass does before its __tsan_func_exit(): a sibling call would
 * jump past the exit hook that follows it.  Other noreturn calls and
 * __builtin_unreachable() end blocks without a way out, so those paths get
 * no hook, as with LLVM.
 */
static void place_exit_hooks(function *fun)
{
	basic_block bb;

	FOR_EACH_BB_FN(bb, fun) {
		for (gimple_stmt_iterator gsi = gsi_start_bb(bb); !gsi_end_p(gsi); gsi_next(&gsi)) {
			gimple *stmt = gsi_stmt(gsi);
			gcall *call = dyn_cast<gcall *>(stmt);

			if (call)
				gimple_call_set_tail(call, false);
			if (gimple_code(stmt) == GIMPLE_RETURN ||
			    gimple_call_builtin_p(stmt, BUILT_IN_RETURN) ||
			    gimple_call_builtin_p(stmt, BUILT_IN_NONLOCAL_GOTO))
				insert_exit_hook(&gsi);
		}
	}
}

/* The entry hook is the first block's first call, there or in a block of
 * its own on the entry edge, which is then the first block. */
static bool already_instrumented(function *fun)
{
	basic_block first = single_succ(ENTRY_BLOCK_PTR_FOR_FN(fun));
	gimple_stmt_iterator gsi = gsi_start_nondebug_after_labels_bb(first);

	return !gsi_end_p(gsi) && is_gimple_call(gsi_stmt(gsi)) &&
	       gimple_call_fndecl(gsi_stmt(gsi)) == entry_decl;
}

static unsigned int kcov_entry_exit_execute(function *fun)
{
	if (!entry_decl) {
		entry_decl = build_hook_decl(trace_pc_entry_name);
		exit_decl = build_hook_decl(trace_pc_exit_name);
	}
	/* Only one of sancov's places in the pipeline runs for a function;
	 * this guards against a future GCC that runs two. */
	if (already_instrumented(fun))
		return 0;
	if (!strncmp(IDENTIFIER_POINTER(DECL_ASSEMBLER_NAME(fun->decl)), "__sanitizer_", 12)) {
		/* The coverage runtime's own functions, and any named as they
		 * are: LLVM's SanitizerCoverage never instruments them. */
		remove_block_hooks(fun);
	} else if (lookup_attribute("naked", DECL_ATTRIBUTES(fun->decl))) {
		/* The asm is the whole function, ret included: GCC 12's sancov
		 * puts a call there all the same, which clobbers the argument
		 * registers the asm may read, and an entry hook would never see
		 * its exit.  With clang a naked function has no hook. */
		remove_block_hooks(fun);
	} else if (!EDGE_COUNT(single_succ(ENTRY_BLOCK_PTR_FOR_FN(fun))->succs)) {
		/* The first block ends in a noreturn call: the function never
		 * returns, and its entry would have no exit.  LLVM's
		 * SanitizerCoverage leaves a function whose entry block ends
		 * in unreachable alone; so does this pass. */
		remove_block_hooks(fun);
	} else {
		place_entry_hook(fun);
		if (!keep_block_hooks)
			remove_block_hooks(fun);
		place_exit_hooks(fun);
	}
	if (gimple_in_ssa_p(fun))
		mark_virtual_operands_for_renaming(fun);
	/* The calls are new callees: the call graph must know them. */
	cgraph_edge::rebuild_edges();
	return TODO_update_ssa | TODO_cleanup_cfg;
}

namespace {

/* One after sancov, one after sancov_O0; each named after its place, as
 * they are, for -fdump-passes and -fdump-tree-*. */
const pass_data kcov_entry_exit_pass_data[2] = {
	{
		GIMPLE_PASS, "kcov_entry_exit", OPTGROUP_NONE, TV_NONE,
		PROP_cfg | PROP_ssa, 0, 0, 0, 0,
	},
	{
		GIMPLE_PASS, "kcov_entry_exit_O0", OPTGROUP_NONE, TV_NONE,
		PROP_cfg | PROP_ssa, 0, 0, 0, 0,
	},
};

class kcov_entry_exit_pass : public gimple_opt_pass {
public:
	kcov_entry_exit_pass(gcc::context *ctxt, bool o0)
		: gimple_opt_pass(kcov_entry_exit_pass_data[o0], ctxt), o0(o0) {}

	opt_pass *clone() override { return new kcov_entry_exit_pass(m_ctxt, o0); }

	/* sancov's own gate: after sancov_O0 only without optimization, as
	 * sancov_O0 itself; the copies after sancov sit inside the pass
	 * groups (-O1+, -Og) that decide whether that sancov runs. */
	bool gate(function *fun) override
	{
		return sanitize_coverage_p(fun->decl) &&
		       (flag_sanitize_coverage & SANITIZE_COV_TRACE_PC) && (!o0 || !optimize);
	}

	unsigned int execute(function *fun) override { return kcov_entry_exit_execute(fun); }

private:
	bool o0;
};

} // namespace

/* Parses a feature list; returns false after an error. */
static bool parse_features(const char *plugin, const char *list)
{
	char *copy = xstrdup(list), *save = NULL;

	for (char *w = strtok_r(copy, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
		if (!strcmp(w, "trace-pc-entry-exit"))
			entry_exit = true;
		else if (!strcmp(w, "trace-pc"))
			keep_block_hooks = true;
		else if (strcmp(w, "trace-cmp")) {
			error("%s: unsupported %<-fsanitize-coverage%> feature %qs", plugin, w);
			free(copy);
			return false;
		}
	}
	free(copy);
	return true;
}

int plugin_init(struct plugin_name_args *info, struct plugin_gcc_version *version)
{
	const char *plugin = info->base_name;
	bool have_features = false;

	/* GCC's check compares the version, the build date, the phase, the
	 * revision and how GCC was configured: a plugin works only in the GCC
	 * it was built for. */
	if (!plugin_default_version_check(version, &gcc_version)) {
		error("%s: built for GCC %s (%s, %s), loaded by GCC %s (%s, %s)", plugin,
		      gcc_version.basever, gcc_version.datestamp, gcc_version.devphase,
		      version->basever, version->datestamp, version->devphase);
		return 1;
	}
	for (int i = 0; i < info->argc; i++) {
		if (strcmp(info->argv[i].key, "sanitize-coverage")) {
			error("%s: unknown argument %<-fplugin-arg-%s-%s%>", plugin, plugin,
			      info->argv[i].key);
			return 1;
		}
		if (!info->argv[i].value) {
			error("%s: %<-fplugin-arg-%s-sanitize-coverage%> needs a value: the "
			      "%<-fsanitize-coverage%> features, as in %<=trace-pc-entry-exit,trace-pc%>",
			      plugin, plugin);
			return 1;
		}
		if (!parse_features(plugin, info->argv[i].value))
			return 1;
		have_features = true;
	}
	if (!have_features) {
		error("%s: missing %<-fplugin-arg-%s-sanitize-coverage=%>", plugin, plugin);
		return 1;
	}
	if (!entry_exit) {
		error("%s: sanitize-coverage= must include trace-pc-entry-exit", plugin);
		return 1;
	}
	/* The hooks this pass rewrites are those of GCC's own trace-pc:
	 * without it, there would be none, and no word about it. */
	if (!(flag_sanitize_coverage & SANITIZE_COV_TRACE_PC)) {
		error("%s: needs %<-fsanitize-coverage=trace-pc%>, whose hooks it rewrites",
		      plugin);
		return 1;
	}

	register_callback(plugin, PLUGIN_INFO, NULL, &kcov_plugin_info);
	register_callback(plugin, PLUGIN_REGISTER_GGC_ROOTS, NULL, (void *)kcov_ggc_roots);

	struct register_pass_info after_sancov = {
		new kcov_entry_exit_pass(g, false), "sancov", 0, PASS_POS_INSERT_AFTER,
	};
	struct register_pass_info after_sancov_o0 = {
		new kcov_entry_exit_pass(g, true), "sancov_O0", 0, PASS_POS_INSERT_AFTER,
	};
	register_callback(plugin, PLUGIN_PASS_MANAGER_SETUP, NULL, &after_sancov);
	register_callback(plugin, PLUGIN_PASS_MANAGER_SETUP, NULL, &after_sancov_o0);
	return 0;
}
