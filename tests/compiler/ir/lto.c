// ThinLTO: instrumentation happens in the compile step (the bitcode holds
// the hooks and the nosanitize_coverage marks that keep later runs away).
// RUN: %kcov-cc -O2 -flto=thin -fsanitize-coverage=trace-pc,trace-pc-entry-exit -c -o %t.o %s
// RUN: llvm-dis %t.o -o - | FileCheck %s

void g(int);

void f(int x)
{
	g(x);
}

// CHECK: define {{.*}} @f({{.*}} #[[ATTR:[0-9]+]]
// CHECK:   call void @__sanitizer_cov_trace_pc_entry()
// CHECK:   notail call void @__sanitizer_cov_trace_pc_exit()
// CHECK: attributes #[[ATTR]] = { {{.*}}nosanitize_coverage
