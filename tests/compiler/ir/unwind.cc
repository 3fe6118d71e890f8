// C++: unwinding through a function runs its exit hook from a cleanup pad,
// and the coverage hooks themselves are plain calls, not invokes.
// RUN: %kcov-cxx -O2 -fsanitize-coverage=trace-pc,trace-pc-entry-exit -S -emit-llvm -o - %s | FileCheck %s

void may_throw(int);

int passes_through(int x)
{
	may_throw(x);
	return x;
}

int cannot_throw(int x) noexcept
{
	return x * 2;
}

// CHECK-LABEL: define {{.*}} @_Z14passes_throughi(
// CHECK-SAME:    personality ptr @__g{{cc|xx}}_personality_v0
// CHECK:         call void @__sanitizer_cov_trace_pc_entry()
// CHECK:         invoke void @_Z9may_throwi(
// CHECK-NEXT:      to label %{{.*}} unwind label %[[PAD:.*]]
// CHECK:         notail call void @__sanitizer_cov_trace_pc_exit()
// CHECK-NEXT:    ret i32
// CHECK:       [[PAD]]:
// CHECK-NEXT:    landingpad
// CHECK-NEXT:      cleanup
// CHECK-NEXT:    notail call void @__sanitizer_cov_trace_pc_exit()
// CHECK-NEXT:    resume
// CHECK-NOT:   invoke void @__sanitizer_cov
// CHECK-LABEL: define {{.*}} @_Z12cannot_throwi(
// CHECK-NOT:     landingpad
// CHECK:         notail call void @__sanitizer_cov_trace_pc_exit()
// CHECK-NEXT:    ret i32
