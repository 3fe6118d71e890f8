// trace-cmp keeps working next to entry-exit, with and without trace-pc.
// RUN: %kcov-cc -O2 -fsanitize-coverage=trace-pc,trace-cmp,trace-pc-entry-exit -S -emit-llvm -o - %s | FileCheck %s --check-prefixes=CHECK,PC
// RUN: %kcov-cc -O2 -fsanitize-coverage=trace-cmp,trace-pc-entry-exit -S -emit-llvm -o - %s | FileCheck %s --check-prefixes=CHECK,NOPC

void g(int);

int pick(int a, int b)
{
	if (a < b) {
		g(b);
		return b;
	}
	return a;
}

// CHECK-LABEL: define {{.*}} @pick(
// CHECK:         call void @__sanitizer_cov_trace_pc_entry()
// CHECK:         call void @__sanitizer_cov_trace_cmp4(
// PC:            call void @__sanitizer_cov_trace_pc()
// NOPC-NOT:      call void @__sanitizer_cov_trace_pc()
// CHECK:         notail call void @__sanitizer_cov_trace_pc_exit()
