// Hooks carry debug locations, so that they symbolize to a line.
// RUN: %kcov-cc -O2 -g -fsanitize-coverage=trace-pc,trace-pc-entry-exit -S -emit-llvm -o - %s | FileCheck %s

void g(void);

void f(void)
{
	g();
}

// CHECK-LABEL: define {{.*}} @f(
// CHECK:         call void @__sanitizer_cov_trace_pc_entry(){{.*}}, !dbg
// CHECK:         notail call void @__sanitizer_cov_trace_pc_exit(){{.*}}, !dbg
