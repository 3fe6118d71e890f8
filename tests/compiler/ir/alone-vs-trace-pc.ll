; Alone, entry-exit adds only the entry and exit hooks; with trace-pc every
; other instrumented block keeps __sanitizer_cov_trace_pc().
; RUN: %opt-plugin -passes=kcov-entry-exit -S %s | FileCheck %s --check-prefixes=CHECK,ALONE
; RUN: %opt-plugin -passes='kcov-entry-exit<trace-pc>' -S %s | FileCheck %s --check-prefixes=CHECK,PC

declare void @g(i32) nounwind

define void @branchy(i1 %c) nounwind {
entry:
  br i1 %c, label %then, label %else
then:
  call void @g(i32 1)
  br label %join
else:
  call void @g(i32 2)
  br label %join
join:
  ret void
}

; CHECK-LABEL: define void @branchy(
; CHECK:         call void @__sanitizer_cov_trace_pc_entry()
; ALONE-NOT:     call void @__sanitizer_cov_trace_pc()
; PC:          then:
; PC-NEXT:       call void @__sanitizer_cov_trace_pc()
; PC:          else:
; PC-NEXT:       call void @__sanitizer_cov_trace_pc()
; CHECK:         notail call void @__sanitizer_cov_trace_pc_exit()
; CHECK-NEXT:    ret void
