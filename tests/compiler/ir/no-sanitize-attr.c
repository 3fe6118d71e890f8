// kcov-cc keeps clang's coverage front end on even for entry-exit alone,
// so no_sanitize("coverage") still reaches the IR and excludes a function.
// RUN: %kcov-cc -O2 -fsanitize-coverage=trace-pc-entry-exit -S -emit-llvm -o - %s | FileCheck %s

#if !__has_feature(coverage_sanitizer)
#error coverage front end is off
#endif

void g(void);

__attribute__((no_sanitize("coverage"))) void noinstr_like(void)
{
	g();
}

void covered(void)
{
	g();
}

// CHECK-LABEL: define {{.*}} @noinstr_like(
// CHECK-NOT:     __sanitizer_cov
// CHECK:       }
// CHECK-LABEL: define {{.*}} @covered(
// CHECK:         call void @__sanitizer_cov_trace_pc_entry()
// CHECK-NOT:     call void @__sanitizer_cov_trace_pc()
// CHECK:         notail call void @__sanitizer_cov_trace_pc_exit()
