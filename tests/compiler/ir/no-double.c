// With clang's own -fsanitize-coverage=trace-pc on the command line too,
// each block still has exactly one hook: clang's pass skips what the plugin
// instrumented.  The awk script fails on a second hook in one block.
// RUN: %kcov-cc -O2 -fsanitize-coverage=trace-pc,trace-pc-entry-exit -S -emit-llvm -o %t.O2.ll %s
// RUN: awk -f %S/Inputs/one-hook-per-block.awk %t.O2.ll
// RUN: FileCheck %s < %t.O2.ll
// RUN: %kcov-cc -O0 -fsanitize-coverage=trace-pc -fsanitize-coverage=trace-pc-entry-exit -S -emit-llvm -o %t.O0.ll %s
// RUN: awk -f %S/Inputs/one-hook-per-block.awk %t.O0.ll
// RUN: FileCheck %s < %t.O0.ll

void g(int);

int f(int x)
{
	if (x > 3) {
		g(x);
		return 1;
	}
	return 0;
}

// CHECK-LABEL: define {{.*}} @f(
// CHECK:         call void @__sanitizer_cov_trace_pc_entry()
// CHECK:         call void @__sanitizer_cov_trace_pc()
// CHECK:         call void @g(
// CHECK:         notail call void @__sanitizer_cov_trace_pc_exit()
