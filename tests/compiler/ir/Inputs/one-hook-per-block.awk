# Fails if a basic block of the IR on input calls two block hooks.
/^define / || /^[A-Za-z0-9_.]+:/ { hooks = 0 }
/call void @__sanitizer_cov_trace_pc(_entry)?\(\)/ {
	if (++hooks > 1) {
		print FILENAME ":" NR ": second coverage hook in one block: " $0
		bad = 1
	}
}
END { exit bad }
