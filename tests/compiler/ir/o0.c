// At -O0 nothing is inlined or merged: each return path keeps its exit.
// RUN: %kcov-cc -O0 -fsanitize-coverage=trace-pc,trace-pc-entry-exit -S -emit-llvm -o - %s | FileCheck %s

static int helper(int x)
{
	return x + 1;
}

int f(int x)
{
	return helper(x);
}

// CHECK-LABEL: define {{.*}} @f(
// CHECK:         call void @__sanitizer_cov_trace_pc_entry()
// CHECK:         call i32 @helper(
// CHECK:         notail call void @__sanitizer_cov_trace_pc_exit()
// CHECK-NEXT:    ret i32
// CHECK-LABEL: define internal {{.*}} @helper(
// CHECK:         call void @__sanitizer_cov_trace_pc_entry()
// CHECK:         notail call void @__sanitizer_cov_trace_pc_exit()
// CHECK-NEXT:    ret i32
